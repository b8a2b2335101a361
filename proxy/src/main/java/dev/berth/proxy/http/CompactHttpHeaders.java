package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The headers of a message Berth's HTTP/1.1 decoders read: one array of names and values in arrival order, looked up
 * by scanning it. A proxied message has around ten headers, which Netty's {@code DefaultHttpHeaders} keeps in a
 * 16-bucket hash table with an entry object per header (and a hash of every name, on every add and lookup); here a
 * header costs its two slots, a lookup compares lengths before characters, and the empty trailers that end every
 * fixed-length message hold no array at all. Together that was ~40% of the garbage of a proxied keep-alive request
 * (benchmarks/README.md, "Per-request garbage").
 *
 * <p>Names and values are checked as Netty's default header factories check them, on every add and set: a name must be
 * a token (so {@code "Content-Length :"} is refused, as the request decoder relies on its headers to do), a value must
 * not hold CR, LF or NUL; trailers also refuse the fields that frame a message (Content-Length, Transfer-Encoding,
 * Trailer). The decoder turns a refusal into a bad message, which the frontend answers with 400. The one exception is
 * {@link #addChecked}, for the one-pass readers, which check every byte of a head before they add its headers.
 *
 * <p>{@link #iteratorCharSequence()}, what Netty's encoders and h2 conversion walk every message with, gives one
 * entry that moves on with each {@code next()}: read it before the next call. Not thread-safe, as no message is.
 */
final class CompactHttpHeaders extends HttpHeaders {
    private static final CharSequence[] NONE = {};
    private static final int FIRST_CAPACITY = 8; // headers, before the array grows
    private static final int COLON_SPACE = ':' << 8 | ' ';
    private static final int CRLF = '\r' << 8 | '\n';

    private final boolean trailers;
    /** Name at {@code 2i}, value at {@code 2i + 1}. */
    private CharSequence[] pairs = NONE;
    private int size;

    private CompactHttpHeaders(boolean trailers) {
        this.trailers = trailers;
    }

    /** Empty headers for a message's head. */
    static CompactHttpHeaders forHead() {
        return new CompactHttpHeaders(false);
    }

    /** Empty headers for a message's head, with room for {@code capacity} headers before the array grows. */
    static CompactHttpHeaders forHead(int capacity) {
        CompactHttpHeaders headers = new CompactHttpHeaders(false);
        headers.pairs = capacity == 0 ? NONE : new CharSequence[2 * capacity];
        return headers;
    }

    /**
     * These head's headers emptied for the next head of a recycled message ({@link Recyclable}), with room for
     * {@code capacity} headers: the array stays when it has that room, as it usually has on a connection whose heads
     * look alike.
     */
    CompactHttpHeaders emptiedForHead(int capacity) {
        assert !trailers;
        clear();
        if (pairs.length < 2 * capacity) {
            pairs = new CharSequence[2 * capacity];
        }
        return this;
    }

    /** Empty trailers for a message's end. */
    static CompactHttpHeaders forTrailers() {
        return new CompactHttpHeaders(true);
    }

    // --- reading

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int index = indexOf(name, 0);
        return index < 0 ? null : pairs[index + 1].toString();
    }

    @Override
    public Integer getInt(CharSequence name) {
        int index = indexOf(name, 0);
        if (index < 0) {
            return null;
        }
        try {
            return Integer.parseInt(pairs[index + 1], 0, pairs[index + 1].length(), 10);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer value = getInt(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Short getShort(CharSequence name) {
        Integer value = getInt(name);
        return value == null || value != value.shortValue() ? null : value.shortValue();
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short value = getShort(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        int index = indexOf(name, 0);
        Date date = index < 0 ? null : DateFormatter.parseHttpDate(pairs[index + 1]);
        return date == null ? null : date.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long value = getTimeMillis(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return Collections.emptyList();
        }
        int next = indexOf(name, first + 2);
        if (next < 0) {
            return Collections.singletonList(pairs[first + 1].toString());
        }
        List<String> values = new ArrayList<>(4);
        for (int index = first; index >= 0; index = indexOf(name, index + 2)) {
            values.add(pairs[index + 1].toString());
        }
        return values;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(size);
        for (int index = 0; index < 2 * size; index += 2) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(pairs[index].toString(), pairs[index + 1].toString()));
        }
        return entries;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    /** Whether a header of this name has exactly this value (not one of its comma-separated elements). */
    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int index = indexOf(name, 0); index >= 0; index = indexOf(name, index + 2)) {
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(pairs[index + 1], value)
                    : AsciiString.contentEquals(pairs[index + 1], value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a header of this name lists this value among its comma-separated elements, which are trimmed. */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int index = indexOf(name, 0); index >= 0; index = indexOf(name, index + 2)) {
            if (listsElement(pairs[index + 1], value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int index = 0; index < 2 * size; index += 2) {
            if (indexOf(pairs[index], 0) == index) { // the first of its name, in any case
                names.add(pairs[index].toString());
            }
        }
        return names;
    }

    @Deprecated
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Cursor();
    }

    // --- writing

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        checkName(name);
        append(name, checkedValue(value));
        return this;
    }

    /**
     * Adds a header whose name and value a one-pass reader has checked already ({@link CommonHead}: a token, and
     * printable ASCII or tabs with no blank at either end), without checking them again.
     */
    void addChecked(CharSequence name, String value) {
        append(name, value);
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        checkName(name);
        for (Object value : values) {
            append(name, checkedValue(value));
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    /** Replaces every header of this name with one, at the end; a refused name or value changes nothing. */
    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        checkName(name);
        CharSequence checked = checkedValue(value);
        remove(name);
        append(name, checked);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        checkName(name);
        List<CharSequence> checked = new ArrayList<>();
        for (Object value : values) {
            checked.add(checkedValue(value));
        }
        remove(name);
        for (CharSequence value : checked) {
            append(name, value);
        }
        return this;
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int kept = indexOf(name, 0);
        if (kept < 0) {
            return this;
        }
        for (int index = kept + 2; index < 2 * size; index += 2) {
            if (!sameName(pairs[index], name)) {
                pairs[kept] = pairs[index];
                pairs[kept + 1] = pairs[index + 1];
                kept += 2;
            }
        }
        Arrays.fill(pairs, kept, 2 * size, null);
        size = kept / 2;
        return this;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(pairs, 0, 2 * size, null);
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        CompactHttpHeaders copy = new CompactHttpHeaders(trailers);
        if (size > 0) {
            copy.pairs = Arrays.copyOf(pairs, pairs.length);
            copy.size = size;
        }
        return copy;
    }

    // --- writing out

    /**
     * Writes the headers as HTTP/1.1 header lines, {@code name: value} and CRLF each, byte for byte as Netty's
     * encoder writes a message's headers, with one check of the buffer's room for all of them.
     */
    void encode(ByteBuf buf) {
        int length = 0;
        for (int slot = 0; slot < 2 * size; slot++) {
            length += pairs[slot].length() + 2; // ": " after a name, CRLF after a value
        }
        buf.ensureWritable(length);
        for (int slot = 0; slot < 2 * size; slot += 2) {
            writeAscii(buf, pairs[slot]);
            buf.writeShort(COLON_SPACE);
            writeAscii(buf, pairs[slot + 1]);
            buf.writeShort(CRLF);
        }
    }

    private static void writeAscii(ByteBuf buf, CharSequence text) {
        if (text instanceof AsciiString ascii) {
            buf.writeBytes(ascii.array(), ascii.arrayOffset(), ascii.length());
        } else {
            buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        }
    }

    // --- the array

    /** The slot of the first header at or after {@code from} (a name's slot) with this name, ignoring case; or -1. */
    private int indexOf(CharSequence name, int from) {
        for (int index = from; index < 2 * size; index += 2) {
            if (sameName(pairs[index], name)) {
                return index;
            }
        }
        return -1;
    }

    private static boolean sameName(CharSequence stored, CharSequence name) {
        return stored.length() == name.length() && AsciiString.contentEqualsIgnoreCase(stored, name);
    }

    private void append(CharSequence name, CharSequence value) {
        if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, Math.max(2 * FIRST_CAPACITY, 2 * pairs.length));
        }
        pairs[2 * size] = name;
        pairs[2 * size + 1] = value;
        size++;
    }

    private void checkName(CharSequence name) {
        if (name == null || name.length() == 0) {
            throw new IllegalArgumentException("empty headers are not allowed [" + name + ']');
        }
        int invalid = HttpHeaderValidationUtil.validateToken(name);
        if (invalid != -1) {
            throw new IllegalArgumentException("a header name can only contain \"token\" characters, but found invalid"
                    + " character 0x" + Integer.toHexString(name.charAt(invalid)) + " at index " + invalid
                    + " of header '" + name + "'.");
        }
        if (trailers && (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRAILER.contentEqualsIgnoreCase(name))) {
            throw new IllegalArgumentException("prohibited trailing header: " + name);
        }
    }

    private static CharSequence checkedValue(Object value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        CharSequence text = value instanceof CharSequence chars ? chars
                : value instanceof Date date ? DateFormatter.format(date)
                : value instanceof Calendar calendar ? DateFormatter.format(calendar.getTime())
                : value.toString();
        int invalid = HttpHeaderValidationUtil.validateValidHeaderValue(text);
        if (invalid != -1) {
            throw new IllegalArgumentException("a header value contains prohibited character 0x"
                    + Integer.toHexString(text.charAt(invalid)) + " at index " + invalid + '.');
        }
        return text;
    }

    /** Whether one of the comma-separated elements of {@code listed}, trimmed of spaces and tabs, is {@code element}. */
    private static boolean listsElement(CharSequence listed, CharSequence element, boolean ignoreCase) {
        int start = 0;
        while (start <= listed.length()) {
            int end = start;
            while (end < listed.length() && listed.charAt(end) != ',') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && isSpace(listed.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(listed.charAt(to - 1))) {
                to--;
            }
            if (to - from == element.length() && regionMatches(listed, from, element, ignoreCase)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean regionMatches(CharSequence listed, int from, CharSequence element, boolean ignoreCase) {
        for (int i = 0; i < element.length(); i++) {
            char a = listed.charAt(from + i);
            char b = element.charAt(i);
            if (a != b && !(ignoreCase && AsciiString.toLowerCase(a) == AsciiString.toLowerCase(b))) {
                return false;
            }
        }
        return true;
    }

    /** One entry for the whole walk, moved on by {@code next()}; {@code remove()} and {@code setValue} work. */
    private final class Cursor implements Iterator<Map.Entry<CharSequence, CharSequence>>, Map.Entry<CharSequence, CharSequence> {
        private int next; // the name slot next() moves to
        private int current = -1;

        @Override
        public boolean hasNext() {
            return next < 2 * size;
        }

        @Override
        public Map.Entry<CharSequence, CharSequence> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            current = next;
            next += 2;
            return this;
        }

        @Override
        public void remove() {
            if (current < 0) {
                throw new IllegalStateException();
            }
            System.arraycopy(pairs, current + 2, pairs, current, 2 * size - current - 2);
            size--;
            pairs[2 * size] = null;
            pairs[2 * size + 1] = null;
            next = current;
            current = -1;
        }

        @Override
        public CharSequence getKey() {
            return pairs[current];
        }

        @Override
        public CharSequence getValue() {
            return pairs[current + 1];
        }

        @Override
        public CharSequence setValue(CharSequence value) {
            CharSequence checked = checkedValue(value);
            CharSequence old = pairs[current + 1];
            pairs[current + 1] = checked;
            return old;
        }
    }
}
