package dev.modelreg.consumer;

/**
 * How a pull or copy puts its files in place (spec/README.md 9.1): {@link #COPY}, the default, an independent file
 * beside a cached blob; {@link #NO_CACHE}, each downloaded byte written once, into the target only; {@link #LINK},
 * each file a read-only hard link to its cached blob (each byte written once, into the cache).
 */
public enum Placement {
    COPY, NO_CACHE, LINK
}
