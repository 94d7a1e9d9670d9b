package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.RangeFetcher;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.testkit.conformance.BlobStoreConformance;
import dev.modelreg.testkit.conformance.ConformanceStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * testkit's blob store conformance suite over the scratch store of {@code pull --no-cache} (no tags), through its
 * Pusher and its ResumablePusher (the path of a download). Its layers are single files here: a tar layer is by design
 * only extracted, never stored ({@link NoCacheStore}), so it is outside what a store promises.
 */
@ParameterizedClass(name = "resumable={0}")
@ValueSource(booleans = {false, true})
class NoCacheStoreConformanceTest extends BlobStoreConformance {
    @Parameter boolean resumable;
    @TempDir Path tmp;
    private int stores;

    @Override
    protected ConformanceStore newStore() throws IOException {
        return new Adapter(tmp.resolve(".ws.blobs-" + stores++));
    }

    @Override
    protected ConformanceStore reopen(ConformanceStore store) throws IOException {
        return new Adapter(((Adapter) store).root);
    }

    private final class Adapter implements ConformanceStore {
        final Path root;
        final NoCacheStore store;

        Adapter(Path root) throws IOException {
            this.root = root;
            this.store = new NoCacheStore(root, Set.of());
        }

        @Override
        public void push(Descriptor expected, InputStream content) throws IOException {
            if (!resumable) {
                store.push(expected, content);
            } else {
                store.push(expected, offset -> new RangeFetcher.Fetched(content, 0), null, CopyListener.NONE,
                        "layer " + expected.digest() + " (conformance)");
            }
        }

        @Override
        public InputStream fetch(Descriptor d) throws IOException {
            return store.fetch(d);
        }

        @Override
        public boolean exists(Descriptor d) throws IOException {
            return store.exists(d);
        }

        @Override
        public void commit() {}

        @Override
        public String kindOf(Throwable failure) {
            return failure instanceof ContentException c ? c.kind().name() : null;
        }

        @Override
        public Path directory() {
            return root;
        }

        @Override
        public void close() {}
    }
}
