/**
 * The memory the proxy holds for large frames: one budget shared by every event loop
 * ({@link io.rcproxy.cluster.internal.memory.BufferBudget}), the cumulator that buffers a large frame without copying it
 * twice ({@link io.rcproxy.cluster.internal.memory.LargeFrameCumulator}), and the frame that gives its bytes back to the
 * budget when it is released ({@link io.rcproxy.cluster.internal.memory.ReservedFrame}).
 */
package io.rcproxy.cluster.internal.memory;
