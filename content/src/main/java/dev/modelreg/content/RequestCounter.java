package dev.modelreg.content;

/** Optional capability of a remote store: how many requests it made so far (for a command's summary and its tests). */
public interface RequestCounter {
    long requestCount();
}
