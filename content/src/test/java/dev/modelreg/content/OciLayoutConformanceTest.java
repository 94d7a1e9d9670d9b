package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.ConformanceAdapter.Push;
import dev.modelreg.testkit.conformance.ConformanceStore;
import dev.modelreg.testkit.conformance.ConformanceTarget;
import dev.modelreg.testkit.conformance.TargetConformance;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** testkit's store conformance suite over an OCI image layout directory, written through each of its push paths. */
@ParameterizedClass(name = "{0}")
@EnumSource(Push.class)
class OciLayoutConformanceTest extends TargetConformance {
    @Parameter Push push;
    @TempDir Path tmp;
    private int stores;

    @Override
    protected ConformanceTarget newStore() throws IOException {
        return open(tmp.resolve("layout-" + stores++));
    }

    @Override
    protected ConformanceTarget reopen(ConformanceStore store) throws IOException {
        return open(((OciLayout) ((ConformanceAdapter) store).store()).dir());
    }

    private ConformanceTarget open(Path dir) throws IOException {
        return new ConformanceAdapter.Tagged<>(OciLayout.open(dir), push, dir);
    }
}
