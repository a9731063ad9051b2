//! Azure Storage connection strings ("AccountName=...;AccountKey=...;BlobEndpoint=..."),
//! what the Azure portal, CLI and SDKs hand out (`AZURE_STORAGE_CONNECTION_STRING`), as
//! object_store config pairs. object_store reads no connection string itself.

use crate::Failure;

/// The option key inlet's C++ side passes a connection string under.
pub(crate) const OPTION_KEY: &str = "azure_storage_connection_string";

/// The config pairs the connection string stands for. Errors never echo the string: it
/// holds the account key.
pub(crate) fn config_pairs(connection_string: &str) -> Result<Vec<(String, String)>, Failure> {
    let mut pairs = Vec::new();
    let mut protocol_http = false;
    for part in connection_string.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').ok_or_else(|| {
            Failure::invalid("the Azure connection string has a part without '=' (expected Name=value;...)")
        })?;
        let key = match name.to_ascii_lowercase().as_str() {
            "accountname" => "azure_storage_account_name",
            "accountkey" => "azure_storage_account_key",
            "sharedaccesssignature" => "azure_storage_sas_key",
            "blobendpoint" => {
                protocol_http |= value.starts_with("http://");
                "azure_storage_endpoint"
            }
            "usedevelopmentstorage" => "azure_storage_use_emulator",
            "defaultendpointsprotocol" => {
                protocol_http |= value.eq_ignore_ascii_case("http");
                continue;
            }
            // Endpoints of the other services, and the suffix the default blob endpoint is
            // built from (object_store builds it for the public cloud already).
            "endpointsuffix" | "queueendpoint" | "tableendpoint" | "fileendpoint" => continue,
            _ => {
                return Err(Failure::invalid(format!(
                    "the Azure connection string has an unknown part '{name}'"
                )))
            }
        };
        pairs.push((key.to_string(), value.to_string()));
    }
    if protocol_http {
        // The connection string asks for plain HTTP itself (Azurite's does).
        pairs.push(("azure_allow_http".to_string(), "true".to_string()));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azurite_connection_string_names_account_key_endpoint_and_http() {
        let pairs = config_pairs(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;\
             BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        )
        .ok()
        .unwrap();
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("azure_storage_account_name"), Some("devstoreaccount1"));
        assert_eq!(get("azure_storage_account_key"), Some("a2V5"));
        assert_eq!(get("azure_storage_endpoint"), Some("http://127.0.0.1:10000/devstoreaccount1"));
        assert_eq!(get("azure_allow_http"), Some("true"));
    }

    #[test]
    fn a_malformed_connection_string_is_refused_without_echoing_it() {
        let err = config_pairs("AccountName=acct;AccountKey").err().unwrap();
        assert!(!err.msg.contains("acct"));
        let err = config_pairs("AccountName=acct;Secretish=v").err().unwrap();
        assert!(err.msg.contains("Secretish") && !err.msg.contains("=v"));
    }
}
