package dev.barrage.engine.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link TargetPolicy} from entries such as {@code localhost}, {@code *.staging.example.com},
 * {@code 10.20.0.0/16}, {@code 127.0.0.1} or {@code ::1}. A host name matching a name or wildcard
 * entry is allowed; any other host only where every address it resolves to lies in an address
 * entry. Link-local addresses (169.254.0.0/16 — the cloud metadata service lives there — and
 * fe80::/10) are refused unless an address entry covers them explicitly, whatever the name.
 *
 * <p>Thread-safety: immutable.
 */
public final class AllowList implements TargetPolicy {

    private static final List<Cidr> LINK_LOCAL = List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"));

    private final List<String> names = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<Cidr> networks = new ArrayList<>();
    private final List<String> entries;

    /** @throws IllegalArgumentException naming an entry that is neither a host name, a wildcard nor an address */
    public AllowList(List<String> entries) {
        this.entries = List.copyOf(entries);
        for (String raw : entries) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.startsWith("*.") && isHostName(entry.substring(2))) {
                suffixes.add(entry.substring(1));
            } else if (entry.contains("/") || isAddressLiteral(entry)) {
                networks.add(Cidr.parse(entry));
            } else if (isHostName(entry)) {
                names.add(trimDot(entry));
            } else {
                throw new IllegalArgumentException("'" + raw + "' is not a host name, *.wildcard, address or CIDR");
            }
        }
    }

    public List<String> entries() {
        return entries;
    }

    @Override
    public boolean allows(String host, InetAddress address) {
        InetAddress target = unmapped(address);
        boolean explicitlyListed = networks.stream().anyMatch(network -> network.contains(target));
        if (explicitlyListed) {
            return true;
        }
        if (LINK_LOCAL.stream().anyMatch(network -> network.contains(target))) {
            return false;
        }
        return nameAllowed(host);
    }

    private boolean nameAllowed(String host) {
        String name = trimDot(host.toLowerCase(Locale.ROOT));
        if (isAddressLiteral(name)) {
            return false; // an address literal is judged by the address entries alone
        }
        return names.contains(name) || suffixes.stream().anyMatch(name::endsWith);
    }

    private static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isV4Mapped(bytes)) {
            try {
                return InetAddress.getByAddress(new byte[]{bytes[12], bytes[13], bytes[14], bytes[15]});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address;
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    static boolean isAddressLiteral(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return bare.contains(":") || bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean isHostName(String text) {
        return text.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?");
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** An address range; parsing an address literal never does a DNS lookup. */
    record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!isAddressLiteral(address)) {
                throw new IllegalArgumentException("'" + text + "' is not an address or CIDR");
            }
            byte[] bytes;
            try {
                bytes = unmapped(InetAddress.ofLiteral(address.replace("[", "").replace("]", ""))).getAddress();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not an address or CIDR");
            }
            int prefix = slash < 0 ? bytes.length * 8 : parsePrefix(text.substring(slash + 1), bytes.length * 8, text);
            return new Cidr(bytes, prefix);
        }

        private static int parsePrefix(String text, int max, String whole) {
            try {
                int prefix = Integer.parseInt(text);
                if (prefix >= 0 && prefix <= max) {
                    return prefix;
                }
            } catch (NumberFormatException e) {
                // the common message below
            }
            throw new IllegalArgumentException("'" + whole + "' has a prefix length outside 0.." + max);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int whole = prefixLength / 8;
            for (int i = 0; i < whole; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (candidate[whole] & mask) == (network[whole] & mask);
        }
    }
}
