package dev.modelreg.consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Trees;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of a pull into an existing directory, its steps run by hand to stop where a kill would: the next run
 * finishes a pull whose new files are all renamed or staged and verified, rolls back one that lost a staged file, and
 * leaves nothing behind either way. (CrashCliTest kills the real CLI at its renames.)
 */
class PullJournalTest {
    @TempDir Path tmp;
    Path root;
    final String tag = "999999-abc";
    final Map<String, Path> finals = new LinkedHashMap<>();
    final Map<String, Digest> hashes = new LinkedHashMap<>();
    final List<String> said = new ArrayList<>();

    /** Files a, b, sub/c holding "old K" in root; their new content "new K" staged; plus sub/d, new in this pull. */
    void stage() throws IOException {
        root = Files.createDirectories(tmp.resolve("dir"));
        for (String k : List.of("a", "b", "sub/c", "sub/d")) {
            Path f = root.resolve(k);
            Files.createDirectories(f.getParent());
            if (!k.equals("sub/d")) Files.writeString(f, "old " + k);
            Files.writeString(PullJournal.temp(f, tag), "new " + k);
            finals.put(k, f);
            hashes.put(k, Digest.sha256Of(("new " + k).getBytes(UTF_8)));
        }
    }

    PullJournal.Ref ref() {
        return new PullJournal.Ref("ex@v2", Digest.sha256Of(new byte[] {2}), hashes);
    }

    /** The journal written and the first {@code k} renames done: what a kill before rename k+1 leaves. */
    void killedAfter(int k) throws IOException {
        PullJournal.begin(root, ref(), tag, finals);
        int n = 0;
        for (Path f : finals.values()) {
            if (n++ == k) break;
            AtomicFiles.replace(PullJournal.temp(f, tag), f);
        }
        assertThat(root.resolve(PullJournal.NAME)).exists();
    }

    void heal(Path target) throws IOException {
        try (WorkspaceLock lock = WorkspaceLock.acquire(target, said::add)) {
            PullJournal.heal(target, lock, said::add);
        }
    }

    Map<String, String> contents() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : finals.keySet()) out.put(k, Files.exists(root.resolve(k)) ? Files.readString(root.resolve(k)) : null);
        return out;
    }

    List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.map(p -> tmp.relativize(p).toString())
                    .filter(n -> n.endsWith(".partial") || n.endsWith(PullJournal.NAME) || n.endsWith(".lock")).toList();
        }
    }

    @Test
    void aPullDoneWholeLeavesNoJournalNoKeptFileNoTemp() throws IOException {
        stage();
        PullJournal.replace(root, ref(), tag, finals);
        assertThat(contents()).containsOnly(Map.entry("a", "new a"), Map.entry("b", "new b"), Map.entry("sub/c", "new sub/c"),
                Map.entry("sub/d", "new sub/d"));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void killedBetweenRenamesItIsFinishedByTheNextRun() throws IOException {
        for (int k = 0; k <= 4; k++) {
            finals.clear();
            said.clear();
            Trees.delete(tmp.resolve("dir"));
            stage();
            killedAfter(k);
            heal(root);
            assertThat(said).as("after %d renames", k).singleElement().asString()
                    .contains("interrupted pull of ex@v2 (" + ref().digest() + ") into " + root + ": finished ("
                            + (4 - k) + " of 4 files left to rename)");
            assertThat(contents().values()).as("after %d renames", k).containsExactly("new a", "new b", "new sub/c", "new sub/d");
            assertThat(leftovers()).isEmpty();
        }
    }

    @Test
    void aStagedFileLostOrChangedRollsThePullBack() throws IOException {
        for (boolean lost : List.of(true, false)) {
            finals.clear();
            said.clear();
            Trees.delete(tmp.resolve("dir"));
            stage();
            killedAfter(2); // a and b renamed, sub/c and sub/d still staged
            Path staged = PullJournal.temp(root.resolve("sub/d"), tag);
            if (lost) Files.delete(staged);
            else Files.writeString(staged, "new sub/D"); // same size, another hash
            heal(root);
            assertThat(said).singleElement().asString().contains("interrupted pull of ex@v2")
                    .contains("rolled back to the files before it (2 files restored)");
            Map<String, String> back = new LinkedHashMap<>();
            back.put("a", "old a");
            back.put("b", "old b");
            back.put("sub/c", "old sub/c");
            back.put("sub/d", null); // new in the pull: removed
            assertThat(contents()).isEqualTo(back);
            assertThat(leftovers()).isEmpty();
        }
    }

    @Test
    void aVerifyOfADirectoryBelowFindsTheJournalAbove() throws IOException {
        stage();
        killedAfter(1);
        heal(root.resolve("sub"));
        assertThat(said).singleElement().asString().contains("interrupted pull of ex@v2").contains("into " + root + ": finished");
        assertThat(contents().values()).containsExactly("new a", "new b", "new sub/c", "new sub/d");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFailedRenameRollsBackAtOnce() throws IOException {
        stage();
        PullJournal.Begun begun = PullJournal.begin(root, ref(), tag, finals);
        Files.delete(PullJournal.temp(root.resolve("sub/c"), tag)); // the third rename fails
        assertThatThrownBy(() -> PullJournal.renames(root, tag, finals, begun)).isInstanceOf(IOException.class);
        assertThat(contents().values()).containsExactly("old a", "old b", "old sub/c", null);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aPullThatCannotBeginLeavesEveryFileAsItWas() throws IOException {
        stage();
        Files.delete(PullJournal.temp(root.resolve("sub/c"), tag));
        assertThatThrownBy(() -> PullJournal.replace(root, ref(), tag, finals)).isInstanceOf(IOException.class);
        assertThat(contents().values()).containsExactly("old a", "old b", "old sub/c", null);
        assertThat(root.resolve(PullJournal.NAME)).doesNotExist();
        assertThat(leftovers()).allSatisfy(n -> assertThat(n).doesNotContain("abco")); // no kept old file; temps are the caller's
    }

    @Test
    void aDamagedJournalIsRefusedInOneLine() throws IOException {
        stage();
        killedAfter(1);
        Path journal = root.resolve(PullJournal.NAME);
        String text = Files.readString(journal);
        Files.writeString(journal, text.substring(0, text.indexOf("end\t"))); // cut before its end line
        assertThatThrownBy(() -> heal(root)).isInstanceOf(ContentException.class)
                .hasMessageContaining(journal + ":").hasMessageContaining("ends before its end line")
                .hasMessageNotContaining("\n");
        Files.writeString(journal, text.replace("file\t", "file\t../x\t")); // a line of the wrong shape
        assertThatThrownBy(() -> heal(root)).hasMessageContaining("unexpected 'file'");
        Files.writeString(journal, text.replace("\tb\n", "\t../../outside\n"));
        assertThatThrownBy(() -> heal(root)).hasMessageContaining("a bad file line");
    }

    @Test
    void aSymbolicLinkAtTheJournalsNameIsNeverFollowed() throws IOException {
        stage();
        Path elsewhere = Files.writeString(tmp.resolve("victim.txt"), "someone else's file");
        Files.createSymbolicLink(root.resolve(PullJournal.NAME), elsewhere);
        heal(root);
        assertThat(said).singleElement().asString().contains("ignoring").contains("not a pull journal of yours");
        assertThat(elsewhere).hasContent("someone else's file");
        // a pull writes its journal over the link (a rename replaces the link itself), never through it
        PullJournal.replace(root, ref(), tag, finals);
        assertThat(elsewhere).hasContent("someone else's file");
        assertThat(root.resolve(PullJournal.NAME)).doesNotExist();
        assertThat(contents().values()).containsExactly("new a", "new b", "new sub/c", "new sub/d");
    }
}
