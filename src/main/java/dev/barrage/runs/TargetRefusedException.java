package dev.barrage.runs;

/** The target is not in {@code barrage.targets.allow}; nothing was sent. */
public class TargetRefusedException extends RuntimeException {

    public TargetRefusedException(String host, String address) {
        super("Sending load to " + host + (address == null ? "" : " (" + address + ")") + " is not allowed here. "
                + "Add the host, a *.wildcard of its domain or its network (CIDR) to the setting barrage.targets.allow "
                + "(by default only localhost, 127.0.0.0/8 and ::1).");
    }
}
