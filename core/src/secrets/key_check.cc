#include "herald/core/secrets/key_check.h"

namespace herald::secrets {
namespace {

// Public and fixed: the check proves the key, it hides nothing.
constexpr std::string_view kKeyCheckPlaintext = "herald key check v1";

constexpr std::string_view kDoesNotDecrypt =
    "the master key does not decrypt this data directory's secrets";

}  // namespace

StatusOr<std::string> MakeKeyCheck(const SecretBox& box) {
  return box.Seal(kKeyCheckPlaintext, kKeyCheckAssociatedData);
}

Status VerifyKeyCheck(const SecretBox& box, std::string_view sealed) {
  StatusOr<std::string> opened = box.Open(sealed, kKeyCheckAssociatedData);
  if (!opened.ok()) {
    return Status::FailedPrecondition(std::string(kDoesNotDecrypt) + " (" +
                                      opened.status().message() + ")");
  }
  if (*opened != kKeyCheckPlaintext) {
    return Status::FailedPrecondition(std::string(kDoesNotDecrypt) +
                                      " (the key check holds an unexpected value)");
  }
  return Status::Ok();
}

}  // namespace herald::secrets
