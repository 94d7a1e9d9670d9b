package dev.modelreg.content;

/** Both ends of a copy: read, write, resolve and tag (oras-go's Target). */
public interface Target extends ReadOnlyTarget, Storage, Tagger {}
