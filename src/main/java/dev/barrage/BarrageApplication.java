package dev.barrage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BarrageApplication {

    public static void main(String[] args) {
        SpringApplication.run(BarrageApplication.class, args);
    }
}
