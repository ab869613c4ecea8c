#include "herald/core/secrets/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

namespace herald::secrets {
namespace {

// Far above any credential; keeps every length within OpenSSL's int.
constexpr std::size_t kMaxPlaintextSize = std::size_t{1} << 30;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// AES-256-GCM, fetched from OpenSSL's default provider once for the
// process: EVP_aes_256_gcm() would make every Init fetch it again by name,
// which costs more than opening a credential's few bytes. Null when the
// provider does not offer it; Seal and Open then fail as on any OpenSSL
// error. Never freed: it lives as long as the process's OpenSSL.
const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// The parsed header of a sealed blob; views point into the blob.
struct SealedParts {
  std::string_view key_id;
  std::string_view nonce;
  std::string_view ciphertext;
  std::string_view tag;
};

Status Truncated() { return Status::InvalidArgument("sealed data is truncated or malformed"); }

StatusOr<SealedParts> Parse(std::string_view sealed) {
  if (sealed.empty()) return Truncated();
  const auto version = static_cast<unsigned char>(sealed[0]);
  if (version != kSealedFormatVersion) {
    return Status::InvalidArgument("sealed data has format version " + std::to_string(version) +
                                   "; this build reads version " +
                                   std::to_string(kSealedFormatVersion));
  }
  if (sealed.size() < 2) return Truncated();
  const std::size_t id_size = static_cast<unsigned char>(sealed[1]);
  if (sealed.size() < 2 + id_size + kNonceSize + kTagSize) return Truncated();
  SealedParts parts;
  parts.key_id = sealed.substr(2, id_size);
  if (!Keyring::IsValidKeyId(parts.key_id)) {
    return Status::InvalidArgument("sealed data names a malformed key id");
  }
  parts.nonce = sealed.substr(2 + id_size, kNonceSize);
  const std::size_t body = 2 + id_size + kNonceSize;
  parts.ciphertext = sealed.substr(body, sealed.size() - body - kTagSize);
  parts.tag = sealed.substr(sealed.size() - kTagSize);
  return parts;
}

void AppendLengthPrefixed(std::string& out, std::string_view part) {
  const std::uint64_t size = part.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((size >> shift) & 0xff));
  }
  out.append(part);
}

}  // namespace

StatusOr<std::string> SecretBox::Seal(std::string_view plaintext,
                                      std::string_view associated_data) const {
  if (plaintext.size() > kMaxPlaintextSize || associated_data.size() > kMaxPlaintextSize) {
    return Status::PayloadTooLarge("a secret or its associated data is larger than 1 GiB");
  }
  const MasterKey& key = keyring_.active();
  std::string out;
  out.reserve(2 + key.id.size() + kNonceSize + plaintext.size() + kTagSize);
  out.push_back(static_cast<char>(kSealedFormatVersion));
  out.push_back(static_cast<char>(key.id.size()));
  out.append(key.id);
  const std::size_t nonce_at = out.size();
  out.resize(nonce_at + kNonceSize + plaintext.size() + kTagSize);
  unsigned char* nonce = Bytes(out) + nonce_at;
  unsigned char* ciphertext = nonce + kNonceSize;
  unsigned char* tag = ciphertext + plaintext.size();

  if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1) {
    return Status::Internal("cannot seal a secret: the system's random source failed");
  }
  auto failed = [] { return Status::Internal("cannot seal a secret: OpenSSL AES-256-GCM failed"); };
  const EVP_CIPHER* cipher = Aes256Gcm();
  if (cipher == nullptr) return failed();
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return failed();
  int len = 0;
  if (EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), nonce) != 1) {
    return failed();
  }
  if (!associated_data.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return failed();
  }
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), ciphertext, &len, Bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        static_cast<std::size_t>(len) != plaintext.size()) {
      return failed();
    }
  }
  unsigned char final_block[16];
  if (EVP_EncryptFinal_ex(ctx.get(), final_block, &len) != 1 || len != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    return failed();
  }
  return out;
}

StatusOr<std::string> SecretBox::Open(std::string_view sealed,
                                      std::string_view associated_data) const {
  StatusOr<SealedParts> parsed = Parse(sealed);
  if (!parsed.ok()) return parsed.status();
  const SealedParts& parts = *parsed;
  if (parts.ciphertext.size() > kMaxPlaintextSize || associated_data.size() > kMaxPlaintextSize) {
    return Status::PayloadTooLarge("sealed data or its associated data is larger than 1 GiB");
  }
  const MasterKey* key = keyring_.Find(parts.key_id);
  if (key == nullptr) {
    return Status::FailedPrecondition("sealed with key '" + std::string(parts.key_id) +
                                      "', which this keyring does not hold");
  }

  // Made only when needed: a successful Open builds no error text.
  auto failed = [] { return Status::Internal("cannot open a secret: OpenSSL AES-256-GCM failed"); };
  auto rejected = [] {
    return Status::FailedPrecondition(
        "cannot decrypt: wrong key, tampered data, or data moved from another record");
  };
  const EVP_CIPHER* cipher = Aes256Gcm();
  if (cipher == nullptr) return failed();
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return failed();
  int len = 0;
  if (EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key->bytes.data(), Bytes(parts.nonce)) != 1) {
    return failed();
  }
  if (!associated_data.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return failed();
  }
  // GCM releases plaintext before the tag is checked: wipe it unless it is.
  std::string plaintext(parts.ciphertext.size(), '\0');
  auto wipe_and = [&plaintext](Status status) {
    if (!plaintext.empty()) OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return status;
  };
  if (!parts.ciphertext.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), Bytes(plaintext), &len, Bytes(parts.ciphertext),
                          static_cast<int>(parts.ciphertext.size())) != 1 ||
        static_cast<std::size_t>(len) != plaintext.size()) {
      return wipe_and(failed());
    }
  }
  // SET_TAG takes a non-const pointer but only reads the tag.
  unsigned char tag[kTagSize];
  std::copy(parts.tag.begin(), parts.tag.end(), tag);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) != 1) {
    return wipe_and(failed());
  }
  unsigned char final_block[16];
  if (EVP_DecryptFinal_ex(ctx.get(), final_block, &len) != 1) return wipe_and(rejected());
  return plaintext;
}

StatusOr<std::string> SecretBox::KeyIdOf(std::string_view sealed) {
  StatusOr<SealedParts> parsed = Parse(sealed);
  if (!parsed.ok()) return parsed.status();
  return std::string(parsed->key_id);
}

std::string CredentialAssociatedData(std::string_view connection_id, std::string_view environment,
                                     std::string_view owner, std::string_view field) {
  std::string out;
  out.reserve(5 * 8 + 20 + connection_id.size() + environment.size() + owner.size() + field.size());
  AppendLengthPrefixed(out, "herald.credential.v1");
  AppendLengthPrefixed(out, connection_id);
  AppendLengthPrefixed(out, environment);
  AppendLengthPrefixed(out, owner);
  AppendLengthPrefixed(out, field);
  return out;
}

}  // namespace herald::secrets
