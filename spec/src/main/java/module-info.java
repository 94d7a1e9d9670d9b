/**
 * The contract of modelreg: the models.toml model and its codec, digests and descriptors, manifests and image
 * indexes, media types and annotations, references and addressing, bootstrap files and mirror rules, limits, and
 * {@link dev.modelreg.spec.ModelregException}, the one failure type with its kinds. No I/O beyond reading a given file.
 */
module dev.modelreg.spec {
    requires org.tomlj;
    requires tools.jackson.core;
    requires tools.jackson.jr.ob;

    exports dev.modelreg.spec;
}
