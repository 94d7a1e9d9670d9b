package dev.modelreg.content;

/** A readable end of a copy: an OCI registry repository, an OCI image layout directory. */
public interface ReadOnlyTarget extends ReadOnlyStorage, Resolver {
    /** A short human name for error messages, e.g. {@code 127.0.0.1:5000/models} or {@code oci-layout:/tmp/x}. */
    String name();
}
