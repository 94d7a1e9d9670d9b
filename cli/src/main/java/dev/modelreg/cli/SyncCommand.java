package dev.modelreg.cli;

import dev.modelreg.consumer.Results.SyncResult;
import dev.modelreg.content.ContentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code modelreg sync}: resolve and cache registries (modflow-devtools {@code mf models sync}). If a ref failed, the
 * exit code is that of the failures' kind when they share one, else 1; the JSON result then carries an {@code error}.
 */
@Command(name = "sync")
public final class SyncCommand extends RegistryConsumerCommand {
    @Option(names = {"--source", "-s"}, description = "Specific source to sync, by key or name (default: all sources).")
    String source;

    @Option(names = {"--ref", "-r"}, description = "Specific ref to sync: a git ref or sha256:<hex> (default: all configured refs).")
    String ref;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "With --source: override its GitHub repository "
            + "(or define a source of that name). Alone: sync the configured sources of that repository.")
    String repo;

    @Option(names = {"--force", "-f"}, description = "Re-resolve and re-download even if cached.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        List<SyncResult> results;
        try (Progress progress = progress("committing")) {
            results = open(progress).sync(source, ref, repo, force);
        }
        long synced = results.stream().filter(r -> r.status().equals("synced")).count();
        long unchanged = results.stream().filter(r -> r.status().equals("unchanged")).count();
        long skipped = results.stream().filter(r -> r.status().equals("skipped")).count();
        long failed = results.stream().filter(SyncResult::failed).count();
        Failure failure = failed == 0 ? null : failure(results, failed);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("synced", synced);
            m.put("unchanged", unchanged);
            m.put("skipped", skipped);
            m.put("failed", failed);
            m.put("results", results.stream().map(SyncResult::toJson).toList());
            if (failure != null) m.putAll(failure.toJson());
            printJson(m);
        } else {
            out().println(failed == 0 ? "Sync complete:" : failed == results.size() ? "Sync failed:" : "Sync incomplete:");
            out().println("  Synced: " + synced);
            out().println("  Unchanged: " + unchanged);
            out().println("  Skipped: " + skipped);
            out().println("  Failed: " + failed);
            for (SyncResult r : results) {
                if (r.digest() != null) out().println("  " + r.name() + "@" + r.ref() + " " + r.digest());
            }
            if (failed > 0) {
                out().println();
                out().println("Failed syncs:");
                for (SyncResult r : results) if (r.failed()) out().println("  " + r.name() + "@" + r.ref() + ": " + r.error());
            }
            out().flush();
        }
        if (failure != null) {
            err().println("modelreg: error: " + failure.message());
            err().flush();
        }
        return failure == null ? ExitCodes.OK : failure.exitCode();
    }

    /** The failure of a sync with failed refs: the kind they share (else a plain error), the first one's message. */
    private static Failure failure(List<SyncResult> results, long failed) {
        List<SyncResult> f = results.stream().filter(SyncResult::failed).toList();
        var kinds = f.stream().map(r -> r.errorKind() == null ? ContentException.Kind.INVALID : r.errorKind()).distinct().toList();
        Failure first = Failure.of(kinds.get(0), f.get(0).name() + "@" + f.get(0).ref() + ": " + f.get(0).error());
        String message = failed == 1 ? first.message() : failed + " refs failed to sync; first: " + first.message();
        return kinds.size() == 1 ? new Failure(first.kind(), first.exitCode(), message)
                : new Failure("error", ExitCodes.ERROR, message);
    }
}
