package dev.barrage.config;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * With {@code management.server.port} set, the actuator answers on a port of its own, from a child
 * context: the main context's {@link SecurityFilter} guards it there too (so a protected
 * {@code /actuator/prometheus} stays protected). Listed in
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}; deliberately not a
 * {@code @Configuration}, so component scanning never puts it in the main context.
 */
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class ManagementPortSecurity {

    @Bean
    FilterRegistrationBean<SecurityFilter> managementSecurityFilterRegistration(SecurityFilter filter) {
        return SecurityConfig.registration(filter); // the filter bean comes from the parent context
    }
}
