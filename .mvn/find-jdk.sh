# Sourced by ./weft, ./mvnw and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is a JDK >= 21, then the newest JDK >= 21 among the usual install folders,
# then the `javac` on PATH. Prints what to do and returns 1 when there is none.

weft_jdk_major() { # $1 = a JDK home; prints its major version, or nothing
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

weft_find_jdk() {
  local min=21 best="" best_v=0 c v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(weft_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then export JAVA_HOME; return 0; fi
    echo "weft: JAVA_HOME ($JAVA_HOME) is not a JDK $min+; looking for an installed one." >&2
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] || continue
    v=$(weft_jdk_major "$c")
    if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(weft_jdk_major "$c")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then best=$c; fi
  fi
  if [ -z "$best" ]; then
    cat >&2 <<MSG
weft: no JDK $min or newer found (checked JAVA_HOME, /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, PATH).
      Install one (Debian/Ubuntu: sudo apt-get install openjdk-21-jdk-headless; others: https://adoptium.net)
      or point JAVA_HOME at it, then run the command again.
MSG
    return 1
  fi
  export JAVA_HOME=$best
}
