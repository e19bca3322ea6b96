package dev.barrage.config;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.springframework.boot.servlet.filter.OrderedFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without {@code barrage.security.api-key} every endpoint is open (the loopback-only default
 * targets keep that safe on a developer's machine). With it, {@code /tests} needs
 * {@code Authorization: Bearer <key>}, compared in constant time; {@code /actuator/health} stays
 * open, {@code /actuator/prometheus} is protected when {@code barrage.security.protect-metrics}
 * is true. A missing or wrong key is a 401 problem details answer. {@link SecurityFilter} has the
 * rules; this puts it in front of every request and dispatch.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    /**
     * Where Spring Security's filter chain ran: after Boot's filters that only wrap the request
     * (metrics observation, character encoding), before anything that can answer it.
     */
    static final int ORDER = OrderedFilter.REQUEST_WRAPPER_FILTER_MAX_ORDER - 100;

    @Bean
    SecurityFilter securityFilter(BarrageProperties properties, JsonMapper json) {
        return new SecurityFilter(properties.security(), json);
    }

    @Bean
    FilterRegistrationBean<SecurityFilter> securityFilterRegistration(SecurityFilter filter) {
        return registration(filter);
    }

    /** On every dispatch (a request, its async and error dispatches, forwards and includes). */
    static FilterRegistrationBean<SecurityFilter> registration(SecurityFilter filter) {
        FilterRegistrationBean<SecurityFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(ORDER);
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        return registration;
    }
}
