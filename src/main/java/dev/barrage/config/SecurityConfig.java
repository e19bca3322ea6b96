package dev.barrage.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without {@code barrage.security.api-key} every endpoint is open (the loopback-only default
 * targets keep that safe on a developer's machine). With it, {@code /tests} needs
 * {@code Authorization: Bearer <key>}, compared in constant time; {@code /actuator/health} stays
 * open, {@code /actuator/prometheus} is protected when {@code barrage.security.protect-metrics}
 * is true. A missing or wrong key is a 401 problem details answer.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final URI UNAUTHORIZED = URI.create("https://barrage.dev/problems/unauthorized");

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, BarrageProperties properties, JsonMapper json) {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable());
        BarrageProperties.Security security = properties.security();
        if (!security.enabled()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        AuthenticationEntryPoint entryPoint = (request, response, failure) -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, describe(failure));
            problem.setType(UNAUTHORIZED);
            problem.setTitle("API key required");
            problem.setInstance(URI.create(request.getRequestURI()));
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader("WWW-Authenticate", "Bearer realm=\"barrage\"");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(json.writeValueAsBytes(problem));
        };
        AuthenticationFilter bearer = new AuthenticationFilter(keyChecker(security.apiKey()), request -> {
            String header = request.getHeader("Authorization");
            if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                return null;
            }
            return UsernamePasswordAuthenticationToken.unauthenticated("api-key", header.substring(7).strip());
        });
        // Only where the key is required is it read: a wrong key on an open endpoint (health, or the
        // metrics when they are not protected) must not turn it into a 401.
        bearer.setRequestMatcher(protectedPaths(security.protectMetrics()));
        bearer.setSuccessHandler((request, response, authentication) -> {
            // stay on the requested endpoint: the key authenticates this one request
        });
        bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(entryPoint));
        return http.addFilterAt(bearer, BasicAuthenticationFilter.class)
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
                    if (security.protectMetrics()) {
                        requests.requestMatchers("/actuator/prometheus").authenticated();
                    }
                    requests.requestMatchers("/tests", "/tests/**").authenticated();
                    requests.anyRequest().permitAll();
                })
                .build();
    }

    private static RequestMatcher protectedPaths(boolean protectMetrics) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher tests = new OrRequestMatcher(paths.matcher("/tests"), paths.matcher("/tests/**"));
        return protectMetrics ? new OrRequestMatcher(tests, paths.matcher("/actuator/prometheus")) : tests;
    }

    private static AuthenticationManager keyChecker(String apiKey) {
        byte[] expected = sha256(apiKey);
        return authentication -> {
            // digests have one length, so the comparison time says nothing about the key
            if (!MessageDigest.isEqual(expected, sha256(String.valueOf(authentication.getCredentials())))) {
                throw new BadCredentialsException("The API key is wrong.");
            }
            return UsernamePasswordAuthenticationToken.authenticated("api-key", null,
                    List.of(new SimpleGrantedAuthority("ROLE_API")));
        };
    }

    private static String describe(AuthenticationException failure) {
        return failure instanceof BadCredentialsException
                ? "The API key in the Authorization header is wrong."
                : "Send the API key as 'Authorization: Bearer <key>' (barrage.security.api-key is set on this server).";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
