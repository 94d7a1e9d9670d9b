package dev.modelreg.cli;

import dev.modelreg.content.TagCondition;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * A guarded promotion: what a tag must point at for {@code push} or {@code tag} to move it (a
 * {@link TagCondition}); a tag that is elsewhere is not moved and the command exits {@link ExitCodes#CONFLICT}.
 */
public final class TagGuardFlags {
    @Option(names = "--expect-digest", paramLabel = "sha256:DIGEST|none", converter = Expected.class,
            description = "Move the tag only if it points at DIGEST (none: only if it does not exist), as read just before "
                    + "it is written; else exit 8 (conflict) and leave it. A registry has no conditional PUT: see README "
                    + "\"Safe promotion\" for what this covers.")
    TagCondition expected;

    @Option(names = "--no-clobber", description = "Never move an existing tag to another manifest (exit 8, conflict); "
            + "a tag that already points at the result is left as it is.")
    boolean noClobber;

    /** The condition the flags give ({@link TagCondition#ANY} without them); both at once is a usage error. */
    TagCondition condition() {
        if (expected != null && noClobber) throw new ExitException(ExitCodes.USAGE, "give --expect-digest or --no-clobber, not both");
        return noClobber ? TagCondition.noClobber() : expected != null ? expected : TagCondition.ANY;
    }

    /** Parses {@code none} or {@code sha256:<hex>}; anything else is a bad value (usage, exit 3). */
    static final class Expected implements ITypeConverter<TagCondition> {
        @Override
        public TagCondition convert(String value) {
            return TagCondition.parseExpected(value); // IllegalArgumentException: picocli reports the value, exit 3
        }
    }
}
