package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.testkit.conformance.ConformanceStore;
import dev.modelreg.testkit.conformance.ConformanceTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** A store of this module as testkit's conformance suites see it (their adapter interfaces map one to one). */
class ConformanceAdapter implements ConformanceStore {
    /** How blobs enter the store: its {@link Pusher}, or its {@link ResumablePusher} (the path of a download). */
    enum Push { PUSHER, RESUMABLE }

    /** What a commit or a close does. */
    interface Action {
        void run() throws IOException;
    }

    private final Storage store;
    private final Push push;
    private final Path directory;
    private final Action commit;
    private final Action close;

    ConformanceAdapter(Storage store, Push push, Path directory, Action commit, Action close) {
        if (push == Push.RESUMABLE && !(store instanceof ResumablePusher)) throw new IllegalArgumentException(store + " is no ResumablePusher");
        this.store = store;
        this.push = push;
        this.directory = directory;
        this.commit = commit;
        this.close = close;
    }

    /** A store that writes through and holds nothing open. */
    ConformanceAdapter(Storage store, Push push, Path directory) {
        this(store, push, directory, () -> {}, () -> {});
    }

    /** The store under test. */
    Storage store() {
        return store;
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
        if (push == Push.PUSHER) {
            store.push(expected, content);
        } else {
            ((ResumablePusher) store).push(expected, offset -> new RangeFetcher.Fetched(content, 0), null, CopyListener.NONE,
                    "blob " + expected.digest() + " (conformance)");
        }
    }

    @Override
    public InputStream fetch(Descriptor d) throws IOException {
        return store.fetch(d);
    }

    @Override
    public boolean exists(Descriptor d) throws IOException {
        return store.exists(d);
    }

    @Override
    public void commit() throws IOException {
        commit.run();
    }

    @Override
    public String kindOf(Throwable failure) {
        return failure instanceof ContentException c ? c.kind().name() : null;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public void close() throws IOException {
        close.run();
    }

    @Override
    public String toString() {
        return store + " (" + push + ")";
    }

    /** A store with tags: a registry repository, a layout, an archive. */
    static final class Tagged<T extends Target & TagLister> extends ConformanceAdapter implements ConformanceTarget {
        private final T target;

        Tagged(T target, Push push, Path directory, Action commit, Action close) {
            super(target, push, directory, commit, close);
            this.target = target;
        }

        Tagged(T target, Push push, Path directory) {
            this(target, push, directory, () -> {}, () -> {});
        }

        @Override
        T store() {
            return target;
        }

        @Override
        public void tag(Descriptor manifest, String tag) throws IOException {
            target.tag(manifest, tag);
        }

        @Override
        public Descriptor resolve(String reference) throws IOException {
            return target.resolve(reference);
        }

        @Override
        public List<ImageIndex.Named> refs() throws IOException {
            return target.refs();
        }
    }
}
