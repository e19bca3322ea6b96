package dev.barrage.runs;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * An absolute http or https URL with a host. Null is valid (pair with @NotNull). A URL with
 * {@code {{...}}} templates is checked when the scenario is compiled instead, once its variables
 * are known.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HttpUrl.Validator.class)
public @interface HttpUrl {

    String message() default "must be an absolute http:// or https:// URL with a host, such as http://127.0.0.1:8081/path";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<HttpUrl, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.contains("{{") || parse(value) != null;
        }

        /** The URL as a URI when valid, else null. */
        public static URI parse(String value) {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme();
                boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
                boolean portOk = uri.getPort() == -1 || (uri.getPort() > 0 && uri.getPort() <= 65535);
                return web && uri.getHost() != null && uri.getRawUserInfo() == null && portOk ? uri : null;
            } catch (URISyntaxException e) {
                return null;
            }
        }
    }

}
