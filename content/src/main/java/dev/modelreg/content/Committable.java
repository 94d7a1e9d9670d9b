package dev.modelreg.content;

import java.io.IOException;

/**
 * Optional capability of a store that is written whole at the end, not as it goes (an OCI archive): what was pushed
 * and tagged becomes lasting at {@link #commit()}; {@link #close()} drops what was not committed and lets go of what
 * the store holds open. A store without it writes through.
 */
public interface Committable extends AutoCloseable {
    /** Makes what was pushed and tagged since opening lasting; false when there was nothing to write. */
    boolean commit() throws IOException;

    @Override
    void close() throws IOException;
}
