//! Credentials, region and endpoint from the AWS CLI's profiles (`~/.aws/config`,
//! `~/.aws/credentials`, `AWS_PROFILE`), which object_store does not read. The AWS SDK's own
//! loader (aws-config) reads them, so inlet gets the whole profile language (static keys,
//! `credential_process`, `role_arn` with `source_profile`, SSO) without parsing any of it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_http_client::{tls, Builder as HttpClientBuilder};
use object_store::aws::{AmazonS3Builder, AwsCredential};
use object_store::CredentialProvider;
use tokio::runtime::Runtime;

/// An option or variable given to the store, looked up by its object_store key
/// ("aws_access_key_id") or its environment spelling ("AWS_ACCESS_KEY_ID").
fn given(opts: &[(String, String)], key: &str) -> Option<String> {
    opts.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
        .or_else(|| std::env::var(key.to_ascii_uppercase()).ok())
        .filter(|v| !v.is_empty())
}

fn home_file(variable: &str, default: &str) -> Option<std::path::PathBuf> {
    if let Ok(path) = std::env::var(variable) {
        return Some(path.into());
    }
    std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(default))
}

/// Whether the profiles are where the credentials come from: no key was given (the
/// environment's keys come first, as in the AWS CLI), and a profile was named or the
/// shared files exist. Without either, object_store's own chain (web identity, ECS,
/// instance metadata) stays as it is.
fn profiles_apply(opts: &[(String, String)]) -> bool {
    if given(opts, "aws_access_key_id").is_some() {
        return false;
    }
    if std::env::var_os("AWS_PROFILE").is_some() {
        return true;
    }
    [("AWS_CONFIG_FILE", ".aws/config"), ("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")]
        .iter()
        .filter_map(|(variable, default)| home_file(variable, default))
        .any(|path| path.is_file())
}

/// `builder` with the profile's credentials, and its region and endpoint where none was
/// given otherwise; unchanged when profiles do not apply.
pub(crate) fn with_profile(
    builder: AmazonS3Builder,
    opts: &[(String, String)],
    runtime: &Runtime,
) -> AmazonS3Builder {
    if !profiles_apply(opts) {
        return builder;
    }
    let region = given(opts, "aws_region").or_else(|| given(opts, "aws_default_region"));
    let config = runtime.block_on(load(region.clone()));
    let mut builder = builder;
    if let Some(provider) = config.credentials_provider() {
        builder = builder.with_credentials(Arc::new(ProfileCredentials::new(provider)));
    }
    if region.is_none() {
        if let Some(r) = config.region() {
            builder = builder.with_region(r.as_ref());
        }
    }
    if given(opts, "aws_endpoint").is_none() && given(opts, "aws_endpoint_url").is_none() {
        if let Some(endpoint) = config.endpoint_url() {
            builder = builder.with_endpoint(endpoint);
        }
    }
    builder
}

async fn load(region: Option<String>) -> SdkConfig {
    // The SDK's HTTP client (for STS, SSO, instance metadata) on the same ring crypto as
    // object_store's, so no second TLS stack is built.
    let http = HttpClientBuilder::new()
        .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http.clone());
    if let Ok(name) = std::env::var("AWS_PROFILE") {
        // A profile named is the only source, as in the AWS CLI: one that is not there is
        // an error naming it, not a fall-through to instance metadata.
        let provider_config = ProviderConfig::default().with_http_client(http);
        loader = loader.credentials_provider(
            ProfileFileCredentialsProvider::builder().configure(&provider_config).profile_name(name).build(),
        );
    }
    if let Some(r) = region {
        // Known already: no lookup in the profile or instance metadata.
        loader = loader.region(Region::new(r));
    }
    loader.load().await
}

/// The SDK's provider as object_store's, with the credentials kept until five minutes
/// before they expire (static keys never do).
#[derive(Debug)]
struct ProfileCredentials {
    provider: SharedCredentialsProvider,
    cached: Mutex<Option<(Arc<AwsCredential>, Option<SystemTime>)>>,
}

impl ProfileCredentials {
    fn new(provider: SharedCredentialsProvider) -> Self {
        ProfileCredentials { provider, cached: Mutex::new(None) }
    }

    fn fresh(&self) -> Option<Arc<AwsCredential>> {
        let cached = self.cached.lock().unwrap();
        let (credential, expiry) = cached.as_ref()?;
        match expiry {
            Some(at) if SystemTime::now() + Duration::from_secs(300) >= *at => None,
            _ => Some(credential.clone()),
        }
    }
}

#[async_trait]
impl CredentialProvider for ProfileCredentials {
    type Credential = AwsCredential;

    async fn get_credential(&self) -> object_store::Result<Arc<AwsCredential>> {
        if let Some(credential) = self.fresh() {
            return Ok(credential);
        }
        let c = self.provider.provide_credentials().await.map_err(|e| object_store::Error::Generic {
            store: "S3",
            source: format!("no credentials from the AWS profile: {}", error_chain(&e)).into(),
        })?;
        let credential = Arc::new(AwsCredential {
            key_id: c.access_key_id().to_string(),
            secret_key: c.secret_access_key().to_string(),
            token: c.session_token().map(str::to_string),
        });
        *self.cached.lock().unwrap() = Some((credential.clone(), c.expiry()));
        Ok(credential)
    }
}

/// The error and its causes, which is where the SDK says what was wrong ("profile `x`
/// was not defined").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
