package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The progress display's frames, exactly, driven by a clock the test moves: nothing before the delay, then frames that
 * count blobs moved of blobs to move, a line of the command's own below an erased frame, the phase after the
 * transfers with the time still running and the rate of the transfer, and a last frame ended by a new line.
 */
class ProgressTest {
    static final long MS = 1_000_000L;
    static final long MIB = 1 << 20;
    static final Digest D = Digest.sha256Of(new byte[0]);

    @Test
    void framesAreExact() {
        ProgressFrame f = new ProgressFrame("pull", 12 * MIB + MIB / 2, 29 * MIB, 1, 3, 3_400 * MS, 3_000 * MS, null, false);
        assertThat(f.render(120, true)).isEqualTo("pull  43% [████████▌           ] 12.5/29.0 MiB  4.2 MiB/s  0:03 ETA 0:03  1/3 blobs");
        assertThat(f.render(120, false)).isEqualTo("pull  43% [########            ] 12.5/29.0 MiB  4.2 MiB/s  0:03 ETA 0:03  1/3 blobs");
        ProgressFrame phase = new ProgressFrame("mirror", 29 * MIB, 29 * MIB, 3, 3, 9_000 * MS, 5_000 * MS, "writing the archive", false);
        assertThat(phase.render(120, true))
                .isEqualTo("mirror 100% [████████████████████] 29.0/29.0 MiB  5.8 MiB/s  0:09  writing the archive  3/3 blobs");
        ProgressFrame last = new ProgressFrame("mirror", 29 * MIB, 29 * MIB, 3, 3, 61_000 * MS, 5_000 * MS, null, true);
        assertThat(last.render(120, true)).isEqualTo("mirror 100% [████████████████████] 29.0/29.0 MiB  5.8 MiB/s  1:01  3/3 blobs");
        ProgressFrame unsized = new ProgressFrame("copy", 300 * 1024, -1, 2, 5, 1_000 * MS, 1_000 * MS, null, false);
        assertThat(unsized.render(120, true)).isEqualTo("copy 300.0 KiB  300.0 KiB/s  0:01  2/5 blobs");
        // narrower terminals: the ETA goes first, then the bar; a frame never reaches the last column
        assertThat(f.render(75, true)).isEqualTo("pull  43% [████████▌           ] 12.5/29.0 MiB  4.2 MiB/s  0:03  1/3 blobs");
        assertThat(f.render(60, true)).isEqualTo("pull  43% 12.5/29.0 MiB  4.2 MiB/s  0:03  1/3 blobs");
        assertThat(f.render(30, true)).isEqualTo("pull  43% 12.5/29.0 MiB  4.2 ");
        assertThat(ProgressFrame.clock(3_725_000 * MS)).isEqualTo("1:02:05");
    }

    @Test
    void aDisplayDrawsAfterTheDelayErasesBeforeALineAndEndsOnANewLine() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(tty, true, StandardCharsets.UTF_8);
        Progress p = new Progress("push", "tagging", stream, now::get, 100, false);
        StringWriter lines = new StringWriter();
        PrintWriter err = new PrintWriter(new java.io.Writer() { // the command's own lines go to the same terminal
            @Override public void write(char[] b, int off, int len) {
                lines.write(b, off, len);
                stream.print(new String(b, off, len));
            }
            @Override public void flush() { stream.flush(); }
            @Override public void close() {}
        });

        p.planned(4, 4 * MIB);
        p.skipped(D, MIB); // the destination has one: 3 blobs, 3 MiB to move
        p.started(D, MIB, 0);
        p.transferred(MIB);
        now.addAndGet(200 * MS);
        p.tick();
        assertThat(text(tty)).as("nothing before the delay").isEmpty();
        now.addAndGet(200 * MS); // 0.4 s after the first byte
        p.copied(D, MIB);
        p.tick();
        String first = "\rpush  33% [######              ] 1.0/3.0 MiB  2.5 MiB/s  0:00 ETA 0:00  1/3 blobs\033[K";
        assertThat(text(tty)).isEqualTo(first);
        p.println(err, "modelreg: pushing 3 layers");
        String afterLine = first + Progress.ERASE + "modelreg: pushing 3 layers\n" + first;
        assertThat(text(tty)).isEqualTo(afterLine);
        now.addAndGet(600 * MS);
        p.transferred(2 * MIB); // the last bytes 1.0 s after the first: 3 MiB/s
        p.copied(D, MIB);
        p.copied(D, MIB);
        now.addAndGet(3_000 * MS); // the tag and manifest: 3 s more, no bytes
        p.tick();
        String phase = "\rpush 100% [####################] 3.0/3.0 MiB  3.0 MiB/s  0:04  tagging  3/3 blobs\033[K";
        assertThat(text(tty)).isEqualTo(afterLine + phase);
        p.close();
        String last = "\rpush 100% [####################] 3.0/3.0 MiB  3.0 MiB/s  0:04  3/3 blobs\033[K\n";
        assertThat(text(tty)).isEqualTo(afterLine + phase + last);
        p.tick();
        p.println(err, "sha256:abc");
        assertThat(text(tty)).as("nothing drawn after close").isEqualTo(afterLine + phase + last + "sha256:abc\n");
    }

    @Test
    void aQuickCommandDrawsNothingAndItsLinesPassAsTheyAre() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Progress p = new Progress("pull", "committing", new PrintStream(tty, true, StandardCharsets.UTF_8), now::get, 80, true);
        StringWriter err = new StringWriter();
        p.planned(1, 10);
        p.transferred(10);
        p.copied(D, 10);
        p.println(new PrintWriter(err), "Pulled 1 file");
        p.close();
        assertThat(text(tty)).isEmpty();
        assertThat(err.toString()).isEqualTo("Pulled 1 file" + System.lineSeparator());
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
