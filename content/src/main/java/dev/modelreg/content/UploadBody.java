package dev.modelreg.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;

/** Upload body streams for {@link RegistryStore}: ours, so that our verification error wins over oras' wrapper. */
final class UploadBody {
    private UploadBody() {}

    /** Remembers the exception a wrapped stream threw, so the caller can rethrow it instead of oras' wrapper. */
    static final class Recording extends InputStream {
        private final InputStream in;
        private final AtomicReference<IOException> error;

        Recording(InputStream in, AtomicReference<IOException> error) {
            this.in = in;
            this.error = error;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                error.compareAndSet(null, e);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                error.compareAndSet(null, e);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static final class Failing extends InputStream {
        private final IOException e;
        private final AtomicReference<IOException> error;

        Failing(IOException e, AtomicReference<IOException> error) {
            this.e = e;
            this.error = error;
        }

        @Override
        public int read() throws IOException {
            error.compareAndSet(null, e);
            throw e;
        }
    }
}
