package dev.modelreg.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A GitHub-style zipball of a directory: one top folder, directory entries, sorted, fixed timestamps. */
final class Zipball {
    private static final long FIXED_TIME = 1_700_000_000_000L;

    private Zipball() {}

    static void write(Path dir, String topFolder, OutputStream out) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(entry(topFolder + "/"));
        zip.closeEntry();
        for (Path p : paths) {
            String name = topFolder + "/" + dir.relativize(p).toString().replace('\\', '/');
            if (Files.isDirectory(p)) {
                zip.putNextEntry(entry(name + "/"));
            } else if (Files.isRegularFile(p)) {
                zip.putNextEntry(entry(name));
                Files.copy(p, zip);
            } else {
                continue;
            }
            zip.closeEntry();
        }
        zip.finish();
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(FIXED_TIME);
        return e;
    }
}
