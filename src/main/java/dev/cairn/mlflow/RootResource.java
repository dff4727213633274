package dev.cairn.mlflow;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** MLflow's plain-text probes: clients call {@code /version} to gate features, so it is a semver string. */
@Path("/")
public class RootResource {

    /** The MLflow server version whose protocol Cairn speaks. */
    public static final String MLFLOW_COMPAT_VERSION = "2.17.2";

    @GET
    @Path("health")
    @Produces(MediaType.TEXT_PLAIN)
    public String health() {
        return "OK";
    }

    @GET
    @Path("version")
    @Produces(MediaType.TEXT_PLAIN)
    public String version() {
        return MLFLOW_COMPAT_VERSION;
    }
}
