package dev.modelreg.content;

/** Read, existence check and verified write. */
public interface Storage extends ReadOnlyStorage, Pusher {}
