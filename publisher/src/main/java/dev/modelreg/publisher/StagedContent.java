package dev.modelreg.publisher;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.ReadOnlyStorage;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * The blobs of a model set before they are pushed: the manifest and config (bytes in memory), tar layers (staged
 * temp files) and large files (streamed straight from the tree). A read-only store, so pushing is the generic
 * {@code Copy} from here to any target. {@link #close()} removes the staging directory.
 */
final class StagedContent implements ReadOnlyStorage, AutoCloseable {
    private final Map<Digest, byte[]> bytes = new ConcurrentHashMap<>();
    private final Map<Digest, Path> files = new ConcurrentHashMap<>();
    private final Path stagingDir;

    StagedContent(Path stagingDir) {
        this.stagingDir = stagingDir;
    }

    synchronized void put(Digest d, byte[] content) {
        bytes.put(d, content);
    }

    synchronized void put(Digest d, Path file) {
        if (!bytes.containsKey(d)) files.putIfAbsent(d, file);
    }

    @Override
    public boolean exists(Descriptor d) {
        return bytes.containsKey(d.digest()) || files.containsKey(d.digest());
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        byte[] b = bytes.get(d.digest());
        if (b != null) return new ByteArrayInputStream(b);
        Path p = files.get(d.digest());
        if (p == null) throw ContentException.notFound("staged content: no blob " + d.digest());
        return Files.newInputStream(p);
    }

    public Path stagingDir() {
        return stagingDir;
    }

    @Override
    public void close() {
        dev.modelreg.content.fs.Leftovers.removeTempDir(stagingDir);
    }
}
