package dev.modelreg.consumer;

import java.util.function.Supplier;

/** A value made at its first use, once (thread-safe): what a command that never needs it does not pay for. */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
        this.make = make;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) value = v = make.get();
            }
        }
        return v;
    }
}
