package dev.weft.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code weft examples supermarket-data --supermarket N [--date D] [--files N] [--no-success] [--data-dir DIR]}:
 * writes what a supermarket uploads in the chapter, so the example sensors have something to find: promotion CSVs
 * {@code data-01.csv}, {@code data-02.csv}, … and then the {@code _SUCCESS} marker, in
 * {@code <data dir>/supermarket<N>/}. Every file is written under a hidden temporary name and renamed into place, so
 * a sensor never sees half a file, and {@code _SUCCESS} comes last, as the supermarkets agreed. The rows are the same
 * for the same supermarket and date.
 */
public final class SupermarketData {
    static final String USAGE = """
            Usage: weft examples supermarket-data --supermarket N [--date YYYY-MM-DD] [--files N] [--no-success]
                                                  [--data-dir DIR]
            Writes supermarket N's promotion files data-01.csv .. data-NN.csv (default 3), then _SUCCESS (unless
            --no-success), into DIR/supermarketN. DIR defaults to WEFT_DATA_DIR, else $WEFT_HOME/data (~/.weft/data),
            where the example DAGs look. --date (default today, UTC) is the promotion day in the rows.""";
    private static final String[][] PRODUCTS = {
            {"Whole milk 1L", "dairy", "1.19"}, {"Greek yoghurt 500g", "dairy", "2.49"},
            {"Sourdough bread", "bakery", "3.20"}, {"Croissants x4", "bakery", "2.79"},
            {"Bananas 1kg", "produce", "1.69"}, {"Avocados x2", "produce", "2.99"},
            {"Ground coffee 250g", "pantry", "4.89"}, {"Olive oil 750ml", "pantry", "7.49"},
            {"Sparkling water 6x1.5L", "drinks", "3.59"}, {"Orange juice 1L", "drinks", "2.29"},
            {"Laundry liquid 2L", "household", "8.99"}, {"Kitchen towels x4", "household", "3.49"}};
    private static final String[] PROMOTIONS = {"2 for 1", "20% off", "3 for 2", "buy 2 save 1.00", "half price"};

    /** What to write. */
    record Request(int supermarket, LocalDate date, int files, boolean success, Path dataDir) {
        Path folder() {
            return dataDir.resolve("supermarket" + supermarket);
        }
    }

    private SupermarketData() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code (0 done, 2 bad arguments, 1 a write failed). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Request request;
        try {
            request = parse(List.of(args), DataRoot.fromEnvironment(), LocalDate.now(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            err.println("weft examples: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (request == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            for (Path file : write(request)) {
                out.println("wrote " + file);
            }
            return 0;
        } catch (IOException e) {
            err.println("weft examples: cannot write into " + request.folder() + ": " + e.getMessage());
            return 1;
        }
    }

    /** The request the arguments ask for, or null for {@code --help}. */
    static Request parse(List<String> args, Path defaultDataDir, LocalDate today) {
        if (args.isEmpty() || !args.get(0).equals("supermarket-data")) {
            if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
                return null;
            }
            throw new IllegalArgumentException("expected the command supermarket-data"
                    + (args.isEmpty() ? "" : ", got '" + args.get(0) + "'"));
        }
        Integer supermarket = null;
        LocalDate date = today;
        int files = 3;
        boolean success = true;
        Path dataDir = defaultDataDir;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--no-success" -> success = false;
                case "--supermarket" -> supermarket = number(arg, value(args, ++i, arg), 1);
                case "--files" -> files = number(arg, value(args, ++i, arg), 1);
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg)).toAbsolutePath().normalize();
                case "--date" -> {
                    String d = value(args, ++i, arg);
                    try {
                        date = LocalDate.parse(d);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("--date: expected YYYY-MM-DD, got '" + d + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (supermarket == null) {
            throw new IllegalArgumentException("--supermarket N is required (the example DAGs watch 1 to 4)");
        }
        if (files > 99) {
            throw new IllegalArgumentException("--files: at most 99");
        }
        return new Request(supermarket, date, files, success, dataDir);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a whole number of at least " + min + ", got '"
                + value + "'");
    }

    /** Writes the data files, then {@code _SUCCESS} when asked; returns the files written, in order. */
    static List<Path> write(Request request) throws IOException {
        Path folder = Files.createDirectories(request.folder());
        Random random = new Random(request.supermarket() * 100_003L + request.date().toEpochDay());
        List<Path> written = new ArrayList<>();
        for (int n = 1; n <= request.files(); n++) {
            String name = String.format(Locale.ROOT, "data-%02d.csv", n);
            written.add(atomically(folder, name, csv(request, n, random)));
        }
        if (request.success()) {
            written.add(atomically(folder, Supermarkets.SUCCESS_FILE, ""));
        }
        return written;
    }

    /** One file of promotions: a header and 5 to 12 rows. */
    static String csv(Request request, int file, Random random) {
        StringBuilder csv = new StringBuilder(
                "date,supermarket_id,file,product,category,promotion,regular_price,promo_price,units_sold\n");
        int rows = 5 + random.nextInt(8);
        for (int r = 0; r < rows; r++) {
            String[] product = PRODUCTS[random.nextInt(PRODUCTS.length)];
            String promotion = PROMOTIONS[random.nextInt(PROMOTIONS.length)];
            double regular = Double.parseDouble(product[2]);
            double promo = switch (promotion) {
                case "2 for 1", "half price" -> regular / 2;
                case "20% off" -> regular * 0.8;
                case "3 for 2" -> regular * 2 / 3;
                default -> regular - 0.5;
            };
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,\"%s\",%s,%s,%.2f,%.2f,%d\n", request.date(),
                    request.supermarket(), file, product[0], product[1], promotion, regular, promo,
                    10 + random.nextInt(490)));
        }
        return csv.toString();
    }

    /** Writes {@code content} to a hidden temporary file beside {@code name}, then renames it into place. */
    private static Path atomically(Path folder, String name, String content) throws IOException {
        Path target = folder.resolve(name);
        Path temp = Files.createTempFile(folder, "." + name + ".", ".tmp");
        try {
            try {
                // A temporary file is private; an uploaded file is readable like any other.
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }
}
