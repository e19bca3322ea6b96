package dev.barrage.config;

import dev.barrage.engine.transport.AllowList;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.TransportFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The lean HTTP/1.1 socket transport; see docs/transport.md for why not a general-purpose client. */
@Configuration(proxyBeanMethods = false)
class TransportConfig {

    @Bean
    AllowList targetAllowList(BarrageProperties properties) {
        return new AllowList(properties.targets().allow());
    }

    @Bean
    TransportFactory transportFactory(AllowList allowList) {
        return spec -> Http1Transport.create(spec, allowList);
    }
}
