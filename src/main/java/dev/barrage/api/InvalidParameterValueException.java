package dev.barrage.api;

/** A query parameter has a value the endpoint cannot use (a 400 naming it). */
class InvalidParameterValueException extends RuntimeException {

    private final String parameter;

    InvalidParameterValueException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
