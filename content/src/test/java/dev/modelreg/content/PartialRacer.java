package dev.modelreg.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A writer of one blob racing others over its resumable partial, as two pulls of the same blob into a shared cache do
 * ({@link ConcurrentPartialTest}): again and again it takes the partial ({@link PartialFile#resumable}), appends its tag,
 * renames it into place and lets it go. Run in a second JVM by {@code main(PARTIAL, BLOBS, TAG, MILLIS)}.
 */
final class PartialRacer {
    /** What {@link #main} prints when it starts racing. */
    static final String READY = "racing";

    private PartialRacer() {}

    /** Races for {@code millis}; returns how many times this writer held the partial. */
    static int race(Path partial, Path blobs, String tag, long millis) throws IOException {
        byte[] b = tag.getBytes(StandardCharsets.US_ASCII);
        long end = System.nanoTime() + millis * 1_000_000;
        int held = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            PartialFile p = PartialFile.resumable(partial);
            if (p == null) continue; // the other writer holds it
            held++;
            boolean moved = false;
            try {
                p.writeAt(b, 0, b.length, p.size()); // a partial this writer holds is its own: empty, or a blob shows both tags
                moved = p.moveTo(blobs.resolve("blob-" + (i % 8)));
            } finally {
                p.close(false);
            }
            if (!moved) throw new IOException("renaming " + partial + " into place did not place it");
        }
        return held;
    }

    public static void main(String[] args) throws IOException {
        System.out.println(READY);
        System.out.flush();
        int held = race(Path.of(args[0]), Path.of(args[1]), args[2], Long.parseLong(args[3]));
        System.out.println(held);
    }
}
