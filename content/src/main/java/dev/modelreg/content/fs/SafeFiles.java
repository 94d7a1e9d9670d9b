package dev.modelreg.content.fs;

import dev.modelreg.content.ContentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Creates and opens what modelreg writes inside a tree it writes into (a cache, a workspace or pull target and the
 * directory beside it, an OCI layout, the directory of an archive) without following symbolic links
 * (spec/README.md 9.2). Such a tree may be shared: whoever can write it can plant a link where modelreg is about to
 * write, to make it write a file or a directory of someone else's. So a directory below the tree's root is made one
 * component at a time and a link on the way is never followed; a file is created new ({@code O_CREAT|O_EXCL}, which
 * does not follow a link) or opened with {@code O_NOFOLLOW}; what is in the way is removed where the name is
 * modelreg's own (an ingest partial, a lock file, a temp file, a cache directory), else refused with one line naming
 * it. The root itself is the user's choice and may be reached through links.
 */
public final class SafeFiles {
    private SafeFiles() {}

    /** How often a name that keeps changing under us (another process racing) is looked at again before giving up. */
    private static final int ATTEMPTS = 8;

    // ---- directories

    /**
     * Creates {@code dir} and the missing directories between {@code root} and it (and {@code root}, as the user's
     * path); a link, a file or anything but a directory on the way below {@code root} is refused (INVALID, one line
     * naming it), never followed. For a tree that is not modelreg's alone: a pull target, an OCI layout.
     */
    public static Path directories(Path root, Path dir) throws IOException {
        return dirs(root, dir, false);
    }

    /**
     * As {@link #directories}, for directories only modelreg uses (a cache's {@code blobs/}, {@code ingest/} and
     * {@code sources/} entries; those of a staging directory): a link or a non-directory there is removed (never
     * followed) and a directory made in its place.
     */
    public static Path ownDirectories(Path root, Path dir) throws IOException {
        return dirs(root, dir, true);
    }

    private static Path dirs(Path root, Path dir, boolean own) throws IOException {
        Path r = root.toAbsolutePath().normalize();
        Path d = dir.toAbsolutePath().normalize();
        if (!d.startsWith(r)) throw new IllegalArgumentException(dir + " is not inside " + root);
        if (!Files.isDirectory(r)) Files.createDirectories(r);
        Path p = r;
        for (Path name : r.relativize(d)) {
            if (name.toString().isEmpty()) continue; // dir is root
            p = p.resolve(name);
            directory(p, own);
        }
        return dir;
    }

    private static void directory(Path p, boolean own) throws IOException {
        if (!p.toFile().exists()) { // nothing there (or a dangling link): mkdir at once, with no look that throws
            try {
                Files.createDirectory(p); // a link there makes it fail, never followed
                return;
            } catch (FileAlreadyExistsException e) {
                // a dangling link, or made meanwhile: look below
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            BasicFileAttributes a = attributes(p);
            if (a == null) {
                try {
                    Files.createDirectory(p); // mkdir: a link planted meanwhile makes it fail, never followed
                    return;
                } catch (FileAlreadyExistsException e) {
                    continue; // made by another writer (or planted) meanwhile: look again
                }
            }
            if (a.isDirectory()) return;
            if (!own) throw refusedDirectory(p, a);
            Files.deleteIfExists(p); // the link itself, never what it points at
        }
        throw changing(p);
    }

    // ---- files

    /**
     * A new file (created with {@code O_EXCL}: nothing that was there, link or file, is opened), for reading and
     * writing. {@link FileAlreadyExistsException} if the name is taken (a temp name: pick another).
     */
    public static FileChannel createNew(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A new empty file at a name of modelreg's own that is written from its start (a temp file, a file in a staging
     * directory, a file written again by a retry): whatever is there but a directory (a link, an older file, a FIFO)
     * is removed first, never followed; a directory there is refused.
     */
    public static FileChannel replace(Path file) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                // O_CREAT|O_EXCL first: anything at the name, a dangling link too, makes it fail (never followed); a
                // new name, the usual case (5,000 of them in a pull), then costs no look and no exception
                return createNew(file);
            } catch (FileAlreadyExistsException e) {
                removeNonDirectory(file); // a directory there is refused; whatever else, removed, and the create again
            }
        }
        throw changing(file);
    }

    /** {@link #replace} as a stream whose write errors name the file ({@link #named}). */
    public static OutputStream newOutputStream(Path file) throws IOException {
        return outputStream(replace(file), file);
    }

    /**
     * Opens a file of modelreg's own that is kept between runs (a resumable partial, a lock file, a marker) for
     * reading and writing, created if missing, its content kept when it is a regular file with no other name. A link,
     * a FIFO or a device there, or a file with another hard link, is removed first and a new file made (a stale
     * partial then starts over); a directory there is refused. Never opens anything through a link.
     */
    public static FileChannel openOwn(Path file) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            BasicFileAttributes a = attributes(file);
            if (a != null && a.isDirectory()) throw refusedFile(file);
            if (a != null && (!a.isRegularFile() || otherLinks(file))) {
                Files.deleteIfExists(file);
                continue;
            }
            try {
                return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException e) {
                BasicFileAttributes now = attributes(file); // a link planted since the look (ELOOP): removed next round
                if (now == null || now.isRegularFile() || now.isDirectory()) throw e;
            }
        }
        throw changing(file);
    }

    /** Writes {@code bytes} as the whole content of a small file of modelreg's own ({@link #openOwn}), in place. */
    public static void writeOwn(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = openOwn(file)) {
            ch.truncate(0);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b, b.position());
        } catch (IOException e) {
            throw named(file, e);
        }
    }

    /**
     * True if {@code file} is a regular file itself (not a link to one). Anything else at a name of ours (a link, a
     * FIFO) is removed, so that a writer puts its own file there; a directory is refused.
     */
    public static boolean isOwnFile(Path file) throws IOException {
        BasicFileAttributes a = attributes(file);
        if (a == null) return false;
        if (a.isRegularFile()) return true;
        removeNonDirectory(file);
        return false;
    }

    /** Removes what is at {@code file} unless it is a directory (refused); a link is removed itself, never followed. */
    private static void removeNonDirectory(Path file) throws IOException {
        BasicFileAttributes a = attributes(file);
        if (a == null) return;
        if (a.isDirectory()) throw refusedFile(file);
        Files.deleteIfExists(file);
    }

    /** The attributes of {@code p} itself (a link is not followed); null if nothing is there. */
    public static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * True if the regular file {@code p} has another name (a hard link someone made to a file of theirs, or a
     * {@code pull --link} workspace file); false if it is gone since the caller looked (another process renamed its
     * finished partial into place, or removed it): the name is free, the caller's open makes a new file there.
     */
    public static boolean otherLinks(Path p) throws IOException {
        if (!p.toFile().exists()) return false; // nothing there, or a dangling link (one name): no exception asked
        try {
            Object n = Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return n instanceof Integer i && i > 1;
        } catch (NoSuchFileException e) {
            return false;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no such attribute here (Windows)
        }
    }

    // ---- errors that name the file

    /** A stream over {@code ch} (closed with it) whose write errors name {@code file} ({@link #named}). */
    public static OutputStream outputStream(FileChannel ch, Path file) {
        OutputStream out = Channels.newOutputStream(ch);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw named(file, e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw named(file, e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException e) {
                    throw named(file, e);
                }
            }
        };
    }

    /**
     * The error of a write to {@code file}, naming it: the kernel's own errors ("No space left on device", "Disk quota
     * exceeded", "File too large", "Input/output error") come as a bare {@link IOException} with no path; they become a
     * {@link FileSystemException} "FILE: REASON". Other exceptions (already naming their file, or an interrupt) are
     * returned as they are.
     */
    public static IOException named(Path file, IOException e) {
        if (e.getClass() != IOException.class) return e;
        FileSystemException f = new FileSystemException(file.toString(), null, e.getMessage());
        f.initCause(e);
        return f;
    }

    private static ContentException refusedDirectory(Path p, BasicFileAttributes a) {
        return ContentException.invalid(a.isSymbolicLink()
                ? p + " is a symbolic link: modelreg does not write through links (remove it)"
                : p + " exists and is not a directory");
    }

    private static ContentException refusedFile(Path p) {
        return ContentException.invalid(p + " is a directory where modelreg writes a file (remove it)");
    }

    private static ContentException changing(Path p) {
        return ContentException.invalid(p + " keeps changing while modelreg creates it (another process is racing it)");
    }
}
