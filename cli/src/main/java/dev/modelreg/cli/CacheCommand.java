package dev.modelreg.cli;

import dev.modelreg.consumer.CacheReport;
import dev.modelreg.content.store.CachedBlob;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code modelreg cache ls|prune}: what the cache holds per ref, and removing the blobs no ref references. */
@Command(name = "cache", subcommands = {CacheCommand.Ls.class, CacheCommand.Prune.class})
public final class CacheCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new ExitException(ExitCodes.USAGE, "cache needs a subcommand: ls or prune (modelreg cache --help)");
    }

    /** {@code n} bytes for people: {@code 12.3 MiB}. */
    static String bytes(long n) {
        return ProgressFrame.amount(n, n) + " " + ProgressFrame.unit(n);
    }

    @Command(name = "ls")
    public static final class Ls extends ConsumerCommand {
        @Override
        public Integer call() throws Exception {
            var reg = open();
            CacheReport.Usage u = reg.cacheUsage().list();
            if (json) {
                var m = u.toJson();
                m.put("cache", reg.cacheRoot().toString());
                printJson(m);
                return ExitCodes.OK;
            }
            for (CacheReport.RefUsage r : u.refs()) {
                out().println(dev.modelreg.spec.Text.printable(r.state().source() + "@" + r.state().ref()) + "  "
                        + r.files() + " files  " + r.blobs() + " blobs  " + bytes(r.bytes()) + " (" + bytes(r.shared())
                        + " shared)");
            }
            out().println("Cache " + reg.cacheRoot() + ": " + u.refs().size() + " refs, " + u.blobs() + " blobs, "
                    + bytes(u.bytes()) + "; unreferenced: " + u.unreferenced() + " blobs, " + bytes(u.unreferencedBytes())
                    + (u.unreferenced() > 0 ? " (modelreg cache prune removes them)" : "")
                    + (u.linkedBytes() > 0 ? "; " + bytes(u.linkedBytes()) + " also linked from workspaces" : ""));
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "prune")
    public static final class Prune extends ConsumerCommand {
        @Option(names = "--older-than", paramLabel = "DURATION",
                description = "Only blobs that entered the cache longer ago than this: 30d, 12h, 90m, 45s or ISO-8601 (P2DT3H).")
        String olderThan;

        @Option(names = "--dry-run", description = "Show what would be removed and how much, remove nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Duration age = olderThan == null ? null : duration(olderThan);
            var reg = open();
            CacheReport.Pruned p = reg.cacheUsage().prune(age, dryRun);
            if (json) {
                printJson(p.toJson());
                return ExitCodes.OK;
            }
            if (dryRun) for (CachedBlob b : p.removed()) out().println(b.digest() + "  " + bytes(b.size()));
            out().println((dryRun ? "Would remove " : "Removed ") + p.removed().size() + " blobs, " + bytes(p.bytes())
                    + (p.inUse().isEmpty() ? "" : "; kept " + p.inUse().size() + " that a running modelreg process uses"));
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, or ISO-8601; a usage error (one line) otherwise. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return nonNegative(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            if (t.length() >= 2 && t.substring(0, t.length() - 1).chars().allMatch(Character::isDigit)) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 'd': return Duration.ofDays(n);
                    case 'h': return Duration.ofHours(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 's': return Duration.ofSeconds(n);
                    default: break;
                }
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // the one message below
        }
        throw new ExitException(ExitCodes.USAGE, "--older-than: not a duration: '" + dev.modelreg.spec.Text.printable(text)
                + "' (use 30d, 12h, 90m, 45s or ISO-8601 such as P2DT3H)");
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) throw new DateTimeParseException("negative", text, 0);
        return d;
    }
}
