package io.rcproxy.proxy.command;

import io.netty.buffer.ByteBuf;

/**
 * Stand-in for {@code io.rcproxy.cluster.slot.SlotHash}, which is being written on another branch
 * with the same signature. Only {@link KeySlots#slotOfArg} calls it, so switching to the real one is
 * a one-line change there, after which this file is deleted.
 *
 * <p>Stateless; any thread. Reads the buffer without changing its indices or reference count.
 */
final class TemporarySlotHash {

    private static final int[] CRC16_TABLE = new int[256];

    static {
        // CRC16-XMODEM (polynomial 0x1021, initial value 0), the checksum Redis Cluster uses.
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC16_TABLE[i] = crc & 0xffff;
        }
    }

    private TemporarySlotHash() {
    }

    /**
     * The slot (0..16383) of the key at {@code buf[index, index + length)}: if the key has a
     * non-empty hash tag (text between the first '{' and the first '}' after it) only the tag counts.
     */
    static int slot(ByteBuf buf, int index, int length) {
        int from = index;
        int to = index + length;
        int open = buf.indexOf(from, to, (byte) '{');
        if (open >= 0) {
            int close = buf.indexOf(open + 1, to, (byte) '}');
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ buf.getByte(i)) & 0xff]) & 0xffff;
        }
        return crc & 16383;
    }
}
