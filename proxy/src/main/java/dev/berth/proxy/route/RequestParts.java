package dev.berth.proxy.route;

/**
 * Finds the host name in a Host header and the path in a request-target as index ranges, so that matching
 * needs no substring. Each method returns one index; the caller keeps the other end. The route table matches with
 * them, and the redirect to HTTPS builds its location with them.
 */
public final class RequestParts {
    private RequestParts() {
    }

    /**
     * Where the name in a Host header ends: before {@code :port}, after the {@code ]} of an IPv6 literal (which
     * no Ingress host can match), and before one trailing dot, since {@code example.com.} names the same host.
     */
    public static int hostEnd(CharSequence host) {
        int length = host.length();
        if (length > 0 && host.charAt(0) == '[') {
            for (int i = 1; i < length; i++) {
                if (host.charAt(i) == ']') {
                    return i + 1;
                }
            }
            return length;
        }
        int end = length;
        for (int i = 0; i < length; i++) {
            if (host.charAt(i) == ':') {
                end = i;
                break;
            }
        }
        return end > 0 && host.charAt(end - 1) == '.' ? end - 1 : end;
    }

    /**
     * Where the path of a request-target starts: 0 for origin-form ({@code /p?q}), after the authority for
     * absolute-form ({@code http://h/p}); the target's length when an absolute-form target has no path.
     */
    public static int pathStart(CharSequence uri) {
        int length = uri.length();
        if (length == 0 || uri.charAt(0) == '/') {
            return 0;
        }
        int authority = indexOfSchemeSeparator(uri);
        if (authority < 0) {
            return 0; // asterisk-form or garbage: matched as it is, which finds no route
        }
        for (int i = authority; i < length; i++) {
            char c = uri.charAt(i);
            if (c == '/') {
                return i;
            }
            if (c == '?' || c == '#') {
                return length;
            }
        }
        return length;
    }

    /** Where the path ends: at the query or the fragment, neither of which takes part in matching. */
    static int pathEnd(CharSequence uri, int start) {
        int length = uri.length();
        for (int i = start; i < length; i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return length;
    }

    /** The index just after {@code ://}, or -1. */
    private static int indexOfSchemeSeparator(CharSequence uri) {
        int last = uri.length() - 3;
        for (int i = 1; i <= last; i++) {
            if (uri.charAt(i) == ':' && uri.charAt(i + 1) == '/' && uri.charAt(i + 2) == '/') {
                return i + 3;
            }
        }
        return -1;
    }
}
