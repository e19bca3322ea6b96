package dev.barrage.engine.transport;

import java.io.IOException;

/** A connect was refused by the {@link TargetPolicy}: nothing was sent. */
final class TargetNotAllowedException extends IOException {

    TargetNotAllowedException(String host, String address) {
        super("connecting to " + host + " (" + address + ") is not allowed by barrage.targets.allow");
    }
}
