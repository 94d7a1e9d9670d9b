package dev.modelreg.content;

import dev.modelreg.content.store.BlobCache;
import dev.modelreg.content.ConformanceAdapter.Push;
import dev.modelreg.testkit.conformance.BlobStoreConformance;
import dev.modelreg.testkit.conformance.ConformanceStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** testkit's blob store conformance suite over the content-addressed cache (no tags), through each of its push paths. */
@ParameterizedClass(name = "{0}")
@EnumSource(Push.class)
class BlobCacheConformanceTest extends BlobStoreConformance {
    @Parameter Push push;
    @TempDir Path tmp;
    private int stores;

    @Override
    protected ConformanceStore newStore() throws IOException {
        return open(tmp.resolve("cache-" + stores++));
    }

    @Override
    protected ConformanceStore reopen(ConformanceStore store) throws IOException {
        return open(((BlobCache) ((ConformanceAdapter) store).store()).root());
    }

    private ConformanceStore open(Path root) throws IOException {
        return new ConformanceAdapter(BlobCache.open(root), push, root);
    }
}
