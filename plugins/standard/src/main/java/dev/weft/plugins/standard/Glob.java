package dev.weft.plugins.standard;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Python's {@code glob.glob(pattern, recursive=...)} on an absolute pattern: {@code *} (any characters but
 * {@code /}), {@code ?} (one character), {@code [abc]}, {@code [a-z]}, {@code [!abc]}; a {@code **} path segment
 * matches any number of directories (zero included) only when recursive, and is a plain {@code *} otherwise. As in
 * Python, wildcards do not match names starting with {@code .} unless the pattern segment starts with one, and
 * {@code **} does not descend into hidden directories. Symbolic links to directories are not followed by {@code **}.
 */
final class Glob {
    private Glob() {
    }

    static boolean hasMagic(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** The paths matching an absolute pattern ({@code /data/supermarket1/data-*.csv}), sorted. */
    static List<Path> expand(String pattern, boolean recursive) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("glob pattern must be absolute: " + pattern);
        }
        Path root = Path.of("/");
        boolean dirOnly = pattern.endsWith("/") && pattern.length() > 1;
        List<String> segments = new ArrayList<>();
        for (String seg : pattern.split("/")) {
            if (!seg.isEmpty()) {
                segments.add(seg);
            }
        }
        List<Path> current = List.of(root);
        int i = 0;
        while (i < segments.size() && !current.isEmpty()) {
            String seg = segments.get(i);
            if (isLiteral(seg, recursive)) {
                // A run of literal segments is checked as one path: the kernel walks it once. Checked one segment at
                // a time, each check walked the path from the root again (a file sensor's every poke stat'ed each
                // directory on its path).
                int end = i + 1;
                while (end < segments.size() && isLiteral(segments.get(end), recursive)) {
                    end++;
                }
                String literal = String.join("/", segments.subList(i, end));
                boolean wantDirs = end < segments.size() || dirOnly;
                List<Path> next = new ArrayList<>();
                for (Path base : current) {
                    Path child = base.resolve(literal);
                    if (wantDirs ? Files.isDirectory(child) : Files.exists(child, LinkOption.NOFOLLOW_LINKS)) {
                        next.add(child);
                    }
                }
                current = next;
                i = end;
                continue;
            }
            boolean last = i == segments.size() - 1;
            boolean wantDirs = !last || dirOnly;
            List<Path> next = new ArrayList<>();
            for (Path base : current) {
                if (recursive && seg.equals("**")) {
                    next.add(base);
                    descend(base, wantDirs, next);
                } else {
                    Pattern regex = translate(seg);
                    boolean hidden = seg.startsWith(".");
                    for (Path child : list(base)) {
                        String name = child.getFileName().toString();
                        if ((hidden || !name.startsWith(".")) && regex.matcher(name).matches()
                                && (!wantDirs || Files.isDirectory(child))) {
                            next.add(child);
                        }
                    }
                }
            }
            current = next;
            i++;
        }
        return List.copyOf(new TreeSet<>(current));
    }

    /** A segment that names itself: no wildcard, and not a recursive {@code **}. */
    private static boolean isLiteral(String segment, boolean recursive) {
        return !hasMagic(segment) && !(recursive && segment.equals("**"));
    }

    private static void descend(Path dir, boolean dirsOnly, List<Path> out) {
        for (Path child : list(dir)) {
            if (child.getFileName().toString().startsWith(".")) {
                continue;
            }
            boolean isDir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
            if (isDir) {
                out.add(child);
                descend(child, dirsOnly, out);
            } else if (!dirsOnly) {
                out.add(child);
            }
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException | SecurityException e) {
            return List.of(); // unreadable: as Python's glob, treat as empty
        }
        return children;
    }

    /** Python's {@code fnmatch.translate} for one path segment (case-sensitive, as on POSIX). */
    static Pattern translate(String seg) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = seg.length();
        while (i < n) {
            char c = seg.charAt(i++);
            if (c == '*') {
                re.append(".*");
                while (i < n && seg.charAt(i) == '*') {
                    i++;
                }
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && seg.charAt(j) == '!') {
                    j++;
                }
                if (j < n && seg.charAt(j) == ']') {
                    j++;
                }
                while (j < n && seg.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String body = seg.substring(i, j);
                    i = j + 1;
                    boolean negate = body.startsWith("!");
                    if (negate) {
                        body = body.substring(1);
                    }
                    StringBuilder cls = new StringBuilder("[");
                    if (negate) {
                        cls.append('^');
                    }
                    for (int k = 0; k < body.length(); k++) {
                        char b = body.charAt(k);
                        if (b == '-' && k > 0 && k < body.length() - 1) {
                            cls.append('-');
                        } else if (Character.isLetterOrDigit(b)) {
                            cls.append(b);
                        } else {
                            cls.append('\\').append(b);
                        }
                    }
                    re.append(cls.append(']'));
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
