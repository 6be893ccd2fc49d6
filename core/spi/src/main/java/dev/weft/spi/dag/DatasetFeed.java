package dev.weft.spi.dag;

import java.time.Duration;

/**
 * A dataset fed by files arriving in a folder: the engine's file watcher records one event of {@code dataset} per
 * complete upload, with no task waiting. An upload is complete when a {@code marker} file (such as {@code _SUCCESS})
 * is present beside at least one data file, or when a data file's size has stayed the same for {@code stableFor}.
 *
 * @param dataset   the URI of the dataset an upload updates
 * @param folder    the absolute path of the folder watched (not its subfolders)
 * @param glob      which files in it are data files, e.g. {@code *.csv}
 * @param marker    the name of the file that says an upload is complete, or null
 * @param stableFor how long a data file's size must stay the same for it to count as complete, or null
 */
public record DatasetFeed(String dataset, String folder, String glob, String marker, Duration stableFor) {
    /** An upload is complete when {@code marker} is present beside at least one data file. */
    public static DatasetFeed whenMarker(String dataset, String folder, String glob, String marker) {
        return new DatasetFeed(dataset, folder, glob, marker, null);
    }

    /** Each data file is complete when its size has stayed the same for {@code stableFor}. */
    public static DatasetFeed whenStable(String dataset, String folder, String glob, Duration stableFor) {
        return new DatasetFeed(dataset, folder, glob, null, stableFor);
    }
}
