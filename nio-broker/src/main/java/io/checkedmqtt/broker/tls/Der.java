package io.checkedmqtt.broker.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of ASN.1 DER that key files and certificates need: reading one tag-length-value at a
 * time, and writing values from parts. Enough to turn PKCS#1 and SEC1 private keys into PKCS#8
 * (which the JDK reads) and to write an X.509 certificate; not a general ASN.1 library.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0C;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int BOOLEAN = 0x01;

    private Der() {
    }

    /** One value read from DER: its tag and its contents. */
    record Value(int tag, byte[] contents) {

        /** The values inside a constructed value (a SEQUENCE, SET or explicit context tag). */
        List<Value> children() {
            List<Value> children = new ArrayList<>();
            Reader reader = new Reader(contents);
            while (reader.hasMore()) {
                children.add(reader.next());
            }
            return children;
        }

        /** This value as it was encoded: tag, length and contents. */
        byte[] encoded() {
            return Der.value(tag, contents);
        }
    }

    /** Reads consecutive values from a byte array; a malformed length is an IllegalArgumentException. */
    static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean hasMore() {
            return position < bytes.length;
        }

        Value next() {
            int tag = readByte();
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("DER: multi-byte tags are not used in key files");
            }
            int first = readByte();
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 4) {
                    throw new IllegalArgumentException("DER: bad length of length " + count);
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if (length > bytes.length - position) {
                throw new IllegalArgumentException("DER: value of " + length + " bytes runs past the end");
            }
            byte[] contents = new byte[(int) length];
            System.arraycopy(bytes, position, contents, 0, contents.length);
            position += contents.length;
            return new Value(tag, contents);
        }

        private int readByte() {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("DER: truncated");
            }
            return bytes[position++] & 0xFF;
        }
    }

    /** The single value that makes up {@code der}; trailing bytes are an error. */
    static Value parse(byte[] der) {
        Reader reader = new Reader(der);
        Value value = reader.next();
        if (reader.hasMore()) {
            throw new IllegalArgumentException("DER: bytes after the value");
        }
        return value;
    }

    // ---- writing -------------------------------------------------------------------------------

    static byte[] value(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int count = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | count);
            for (int i = count - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    static byte[] constructed(int tag, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return value(tag, out.toByteArray());
    }

    static byte[] sequence(byte[]... parts) {
        return constructed(SEQUENCE, parts);
    }

    static byte[] set(byte[]... parts) {
        return constructed(SET, parts);
    }

    /** An explicitly tagged value: context-specific, constructed, number {@code n}. */
    static byte[] explicit(int n, byte[] inner) {
        return constructed(0xA0 | n, inner);
    }

    static byte[] integer(BigInteger value) {
        return value(INTEGER, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] octetString(byte[] contents) {
        return value(OCTET_STRING, contents);
    }

    /** A BIT STRING of whole bytes (no unused bits). */
    static byte[] bitString(byte[] contents) {
        byte[] withPad = new byte[contents.length + 1];
        System.arraycopy(contents, 0, withPad, 1, contents.length);
        return value(BIT_STRING, withPad);
    }

    static byte[] bool(boolean value) {
        return value(BOOLEAN, new byte[] {(byte) (value ? 0xFF : 0)});
    }

    static byte[] nullValue() {
        return value(NULL, new byte[0]);
    }

    static byte[] utf8(String text) {
        return value(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An object identifier from its dotted form, e.g. {@code 1.2.840.10045.2.1}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, Long.parseLong(arcs[i]));
        }
        return value(OID, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long arc) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int bits = (int) ((arc >>> (7 * i)) & 0x7F);
            out.write(i == 0 ? bits : bits | 0x80);
        }
    }
}
