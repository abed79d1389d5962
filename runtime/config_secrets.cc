#include "runtime/config_secrets.h"

#include "runtime/config_object.h"
#include "runtime/config_values.h"
#include "runtime/read_file.h"

namespace edgerun::runtime {
namespace {

constexpr std::string_view kSecretKeys[] = {"env", "file"};
constexpr std::string_view kSecretForms =
    "{\"env\": \"VARIABLE\"} to read an environment variable or {\"file\": \"path/to/file\"} to "
    "read a file";

// Editors and `echo` end files with a newline that is not part of the secret.
void StripOneTrailingNewline(std::string* value) {
  if (value->ends_with("\r\n")) {
    value->resize(value->size() - 2);
  } else if (value->ends_with('\n')) {
    value->pop_back();
  }
}

std::optional<std::string> FromEnv(simdjson::dom::element value, const std::string& path,
                                   std::string_view secret, const EnvLookup& env,
                                   ConfigDiagnostics& diag) {
  std::optional<std::string_view> variable =
      ReadString(value, path, diag, "the name of an environment variable");
  if (!variable) return std::nullopt;
  if (variable->empty()) {
    diag.Error(path, "the environment variable name is empty");
    return std::nullopt;
  }
  std::optional<std::string> resolved = env ? env(std::string(*variable)) : std::nullopt;
  if (!resolved) {
    diag.Error(path, "environment variable " + std::string(*variable) + " is not set (secret '" +
                         std::string(secret) + "' reads it)");
  }
  return resolved;
}

std::optional<std::string> FromFile(simdjson::dom::element value, const std::string& path,
                                    const std::filesystem::path& config_dir,
                                    ConfigDiagnostics& diag) {
  std::optional<std::string_view> file = ReadString(value, path, diag, "a file path");
  if (!file) return std::nullopt;
  if (file->empty()) {
    diag.Error(path, "the secret file path is empty");
    return std::nullopt;
  }
  std::filesystem::path resolved = (config_dir / *file).lexically_normal();
  std::string error;
  std::optional<std::string> content = ReadFile(resolved, &error);
  if (!content) {
    diag.Error(path, "cannot read secret file " + JsonQuote(*file) + " (" + resolved.string() +
                         "): " + error);
    return std::nullopt;
  }
  StripOneTrailingNewline(&*content);
  return content;
}

std::optional<std::string> ResolveSecret(std::string_view name, simdjson::dom::element value,
                                         const std::string& path,
                                         const std::filesystem::path& config_dir,
                                         const EnvLookup& env, ConfigDiagnostics& diag) {
  if (value.is_string()) {
    // Do not echo the string: it is most likely the secret itself.
    diag.Error(path, "secrets are never written in the config; use " + std::string(kSecretForms));
    return std::nullopt;
  }
  std::optional<ConfigObject> source = ConfigObject::Read(
      value, path, kSecretKeys, diag, "{\"env\": \"VARIABLE\"} or {\"file\": \"path/to/file\"}");
  if (!source) return std::nullopt;
  std::optional<simdjson::dom::element> from_env = source->Get("env");
  std::optional<simdjson::dom::element> from_file = source->Get("file");
  if (from_env.has_value() == from_file.has_value()) {
    diag.Error(path, std::string(from_env ? "give either \"env\" or \"file\", not both"
                                          : "a secret needs \"env\" or \"file\"") +
                         "; use " + std::string(kSecretForms));
    return std::nullopt;
  }
  if (from_env) return FromEnv(*from_env, source->PathOf("env"), name, env, diag);
  return FromFile(*from_file, source->PathOf("file"), config_dir, diag);
}

}  // namespace

void ReadSecrets(simdjson::dom::element value, std::string_view path,
                 const std::filesystem::path& config_dir, const EnvLookup& env,
                 ConfigDiagnostics& diag, std::vector<isolates::EnvBinding>* secrets) {
  std::optional<ConfigObject> object =
      ConfigObject::Read(value, std::string(path), {}, diag, "an object of secrets");
  if (!object) return;
  for (const auto& [name, source] : object->fields()) {
    std::string secret_path = object->PathOf(name);
    if (name.empty()) {
      diag.Error(secret_path, "a secret needs a non-empty name");
      continue;
    }
    std::optional<std::string> resolved =
        ResolveSecret(name, source, secret_path, config_dir, env, diag);
    if (!resolved) continue;
    secrets->push_back(
        {std::string(name), isolates::EnvBinding::Kind::kString, std::move(*resolved)});
  }
}

}  // namespace edgerun::runtime
