package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one verified ingest path: content streams into a temp file in {@code ingestDir} (same file store as the
 * target) while it is hashed and counted; it is checked against the expected digest and size; only then is it
 * renamed into place atomically. On any failure the temp file is deleted and nothing appears at {@code target}.
 * If {@code target} already exists it is kept (content addressed: same digest, same bytes).
 */
public final class Ingest {
    private Ingest() {}

    /** Returns true if this call wrote {@code target}, false if it already existed. */
    public static boolean write(Path ingestDir, Path target, Descriptor expected, InputStream content, String what)
            throws IOException {
        if (Files.exists(target)) {
            return false;
        }
        Files.createDirectories(ingestDir);
        Path tmp = AtomicFiles.tempFile(ingestDir, expected.digest().hex().substring(0, 12) + "-", ".partial");
        try {
            try (VerifyingInputStream in = new VerifyingInputStream(content, expected, what);
                 OutputStream out = Files.newOutputStream(tmp)) {
                Streams.copy(in, out, expected.size());
                if (!in.verified()) {
                    in.verifyToEnd();
                }
            }
            Files.createDirectories(target.getParent());
            return moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Atomically renames a verified temp file to its content-addressed name; an existing target wins. */
    public static boolean moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            if (Files.exists(target)) return false;
            Files.move(tmp, target);
            return true;
        }
    }
}
