/**
 * Consuming model sets: sources, sync, copy, pull, verify, inspect and export through
 * {@link dev.modelreg.consumer.ModelReg}, from OCI registries, layouts and archives or GitHub.
 */
module dev.modelreg.consumer {
    requires transitive dev.modelreg.publisher;
    requires com.github.luben.zstd_jni;

    exports dev.modelreg.consumer;
}
