package dev.modelreg.spec;

/** How a layer of a foreign artifact holds its files (spec/README.md 3.12): one raw file, or a tar (plain, gzip or zstd). */
public enum Packing {
    RAW("raw"), TAR("tar"), TAR_GZIP("tar+gzip"), TAR_ZSTD("tar+zstd");

    private final String suffix;

    Packing(String suffix) {
        this.suffix = suffix;
    }

    /** The media type suffix: {@code raw}, {@code tar}, {@code tar+gzip}, {@code tar+zstd}. */
    public String suffix() {
        return suffix;
    }

    public boolean isTar() {
        return this != RAW;
    }

    static Packing ofSuffix(String s) {
        for (Packing p : values()) if (p.suffix.equals(s)) return p;
        return null;
    }
}
