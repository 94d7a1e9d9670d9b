package dev.modelreg.consumer;

/**
 * How {@link ModelReg#export} copies an OCI-mode ref (a GitHub-mode ref is published anew: it has neither).
 *
 * @param internalize files the ref stores outside the registry are fetched from their URLs, verified, and written into
 *                    layers of a new manifest (spec/README.md 3.14); false: copied as they are
 * @param referrers   the ref's referrers (signatures, SBOMs: manifests whose {@code subject} it is, and theirs) go with
 *                    it (spec/README.md 3.13); false: left behind
 */
public record ExportOptions(boolean internalize, boolean referrers) {
    /** As it is, with its referrers. */
    public static final ExportOptions DEFAULT = new ExportOptions(false, true);

    public ExportOptions withInternalize(boolean on) {
        return new ExportOptions(on, referrers);
    }

    public ExportOptions withReferrers(boolean on) {
        return new ExportOptions(internalize, on);
    }
}
