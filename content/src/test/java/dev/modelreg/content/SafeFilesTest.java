package dev.modelreg.content;

import dev.modelreg.content.fs.SafeFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.modelreg.testkit.Victims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way files and directories are made in a tree modelreg writes: nothing is ever followed through a link. */
class SafeFilesTest {
    @TempDir Path tmp;
    Victims victims;
    Path victim;
    Path victimDir;
    Map<String, String> before;
    static final byte[] VICTIM = Victims.BYTES;

    @BeforeEach
    void victims() throws IOException {
        victims = Victims.in(tmp);
        victim = victims.file();
        victimDir = victims.dir();
        before = victims.state();
    }

    static void mkfifo(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(proc.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as("mkfifo").isZero();
    }

    @Test
    void directoriesRefuseALinkOnTheWayAndNameIt() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("target"));
        Files.createSymbolicLink(root.resolve("sub"), victimDir);
        Throwable t = catchThrowable(() -> SafeFiles.directories(root, root.resolve("sub/deeper/still")));
        assertThat(t).isInstanceOf(ContentException.class)
                .hasMessage(root.resolve("sub") + " is a symbolic link: modelreg does not write through links (remove it)");
        assertThat(victims.state()).isEqualTo(before);

        Files.write(root.resolve("file"), VICTIM);
        assertThat(catchThrowable(() -> SafeFiles.directories(root, root.resolve("file/x"))))
                .hasMessage(root.resolve("file") + " exists and is not a directory");

        assertThat(SafeFiles.directories(root, root.resolve("a/b/c"))).isDirectory();
        assertThat(SafeFiles.directories(tmp.resolve("new-root"), tmp.resolve("new-root/x"))).isDirectory();
    }

    @Test
    void ownDirectoriesReplaceALinkOrAFileByADirectory() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("cache"));
        Files.createSymbolicLink(root.resolve("blobs"), victimDir);
        Files.write(root.resolve("ingest"), VICTIM);
        SafeFiles.ownDirectories(root, root.resolve("blobs/sha256"));
        SafeFiles.ownDirectories(root, root.resolve("ingest"));
        assertThat(Files.isSymbolicLink(root.resolve("blobs"))).isFalse();
        assertThat(root.resolve("blobs/sha256")).isDirectory();
        assertThat(root.resolve("ingest")).isDirectory();
        assertThat(victims.state()).isEqualTo(before);
    }

    @Test
    void openOwnRemovesALinkAFifoAndASecondHardLinkAndKeepsItsOwnFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ingest"));
        Path link = dir.resolve("a.partial");
        Files.createSymbolicLink(link, victim);
        Path fifo = dir.resolve("b.partial");
        mkfifo(fifo);
        Path hard = dir.resolve("c.partial");
        Files.createLink(hard, victim);
        for (Path p : new Path[] {link, fifo, hard}) {
            try (FileChannel ch = SafeFiles.openOwn(p)) {
                assertThat(ch.size()).as(p.toString()).isZero();
                ch.write(ByteBuffer.wrap("ours".getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(p).isRegularFile().hasContent("ours");
            assertThat(Files.isSymbolicLink(p)).isFalse();
        }
        assertThat(victims.state()).isEqualTo(before);
        try (FileChannel ch = SafeFiles.openOwn(link)) {
            assertThat(ch.size()).as("our own file is kept").isEqualTo(4);
        }
        Path d = Files.createDirectories(dir.resolve("d.partial"));
        assertThat(catchThrowable(() -> SafeFiles.openOwn(d))).isInstanceOf(ContentException.class)
                .hasMessage(d + " is a directory where modelreg writes a file (remove it)");
    }

    @Test
    void replaceAndCreateNewNeverWriteThroughALink() throws IOException {
        Path link = tmp.resolve("out.partial");
        Files.createSymbolicLink(link, victim);
        assertThat(catchThrowable(() -> SafeFiles.createNew(link))).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        try (OutputStream out = SafeFiles.newOutputStream(link)) {
            out.write("new".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(link).hasContent("new");
        assertThat(victims.state()).isEqualTo(before);

        SafeFiles.writeOwn(link, "12".getBytes(StandardCharsets.UTF_8));
        assertThat(link).hasContent("12");
    }

    /**
     * A new name is created at once (no look first: a pull makes thousands), so what is already at a name must make
     * that create fail and be handled as before: a dangling link (invisible to java.io.File), a FIFO, a directory.
     */
    @Test
    void whatIsAlreadyAtANameIsSeenWithoutALookFirst() throws Exception {
        Path dangling = tmp.resolve("dangling.partial");
        Path gone = tmp.resolve("no-such-target");
        Files.createSymbolicLink(dangling, gone);
        try (OutputStream out = SafeFiles.newOutputStream(dangling)) {
            out.write("new".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.isSymbolicLink(dangling)).isFalse();
        assertThat(dangling).hasContent("new");
        assertThat(gone).as("nothing made through the link").doesNotExist();

        Path fifo = tmp.resolve("fifo.partial");
        mkfifo(fifo);
        try (OutputStream out = SafeFiles.newOutputStream(fifo)) {
            out.write("f".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(fifo).isRegularFile().hasContent("f");

        Path dir = Files.createDirectories(tmp.resolve("dir.partial"));
        assertThat(catchThrowable(() -> SafeFiles.newOutputStream(dir))).isInstanceOf(ContentException.class)
                .hasMessage(dir + " is a directory where modelreg writes a file (remove it)");

        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createSymbolicLink(root.resolve("sub"), gone);
        assertThat(catchThrowable(() -> SafeFiles.directories(root, root.resolve("sub/x")))).isInstanceOf(IOException.class);
        assertThat(gone).doesNotExist();
        SafeFiles.ownDirectories(root, root.resolve("sub/x"));
        assertThat(Files.isSymbolicLink(root.resolve("sub"))).isFalse();
        assertThat(root.resolve("sub/x")).isDirectory();
        assertThat(gone).doesNotExist();
        assertThat(victims.state()).isEqualTo(before);
    }

    @Test
    void aWriteErrorWithoutAPathNamesTheFile() throws IOException {
        Path full = Path.of("/dev/full"); // every write: ENOSPC, "No space left on device"
        Path named = tmp.resolve("cache/ingest/sha256-abc.partial");
        try (FileChannel ch = FileChannel.open(full, StandardOpenOption.WRITE)) {
            OutputStream out = SafeFiles.outputStream(ch, named);
            Throwable t = catchThrowable(() -> out.write(new byte[4096]));
            assertThat(t).isInstanceOf(FileSystemException.class)
                    .hasMessage(named + ": No space left on device");
        }
        IOException interrupted = new java.io.InterruptedIOException("interrupted");
        assertThat(SafeFiles.named(named, interrupted)).isSameAs(interrupted);
    }
}
