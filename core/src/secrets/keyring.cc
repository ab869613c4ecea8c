#include "herald/core/secrets/keyring.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace herald::secrets {
namespace {

// Key files are a few lines; anything bigger is not one.
constexpr std::size_t kMaxKeyFileSize = 1 << 20;

// Overwrites a string's bytes (key material, base64 of keys) before it is freed.
void Cleanse(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

// Holds a buffer and wipes it on every exit path.
class CleansedString {
 public:
  CleansedString() = default;
  CleansedString(const CleansedString&) = delete;
  CleansedString& operator=(const CleansedString&) = delete;
  ~CleansedString() { Cleanse(value); }
  std::string value;
};

std::string ErrnoText(int err) { return std::strerror(err); }

std::string FileContext(const std::filesystem::path& path) {
  return "master key file '" + path.string() + "'";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

enum class DecodeResult { kOk, kMalformed, kWrongLength };

// Strictly decodes standard, padded base64 of exactly kMasterKeySize bytes
// into `out`. `decoded_size` receives the decoded length when the base64 is
// well formed. Temporaries are wiped.
DecodeResult DecodeKey(std::string_view b64, std::array<unsigned char, kMasterKeySize>& out,
                       std::size_t* decoded_size) {
  if (b64.empty() || b64.size() % 4 != 0) return DecodeResult::kMalformed;
  std::size_t padding = 0;
  if (b64.back() == '=') ++padding;
  if (b64.size() >= 2 && b64[b64.size() - 2] == '=') ++padding;
  for (std::size_t i = 0; i < b64.size() - padding; ++i) {
    if (!IsBase64Char(b64[i])) return DecodeResult::kMalformed;
  }
  CleansedString buffer;
  buffer.value.resize(b64.size() / 4 * 3);
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(buffer.value.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0 || static_cast<std::size_t>(n) < padding) return DecodeResult::kMalformed;
  std::size_t size = static_cast<std::size_t>(n) - padding;
  *decoded_size = size;
  if (size != kMasterKeySize) return DecodeResult::kWrongLength;
  std::memcpy(out.data(), buffer.value.data(), kMasterKeySize);
  return DecodeResult::kOk;
}

// Base64 of a key, in a string the caller must Cleanse.
std::string EncodeKey(const std::array<unsigned char, kMasterKeySize>& bytes) {
  std::string out(4 * ((kMasterKeySize + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool HasId(const std::vector<MasterKey>& keys, std::string_view id) {
  return std::any_of(keys.begin(), keys.end(), [&](const MasterKey& k) { return k.id == id; });
}

// A fresh random key whose random id none of `existing` has.
bool MakeRandomKey(const std::vector<MasterKey>& existing, MasterKey* key) {
  static constexpr char kHex[] = "0123456789abcdef";
  do {
    unsigned char raw[8];
    if (RAND_bytes(raw, sizeof raw) != 1) return false;
    key->id = "k-";
    for (unsigned char b : raw) {
      key->id.push_back(kHex[b >> 4]);
      key->id.push_back(kHex[b & 0xf]);
    }
  } while (HasId(existing, key->id));
  return RAND_bytes(key->bytes.data(), static_cast<int>(key->bytes.size())) == 1;
}

// Reads the whole file behind `fd` into `out`.
bool ReadAll(int fd, std::string* out) {
  char chunk[4096];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      OPENSSL_cleanse(chunk, sizeof chunk);
      return false;
    }
    if (n == 0) break;
    out->append(chunk, static_cast<std::size_t>(n));
    if (out->size() > kMaxKeyFileSize) break;
  }
  OPENSSL_cleanse(chunk, sizeof chunk);
  return true;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

MasterKey::~MasterKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }

bool Keyring::IsValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

StatusOr<Keyring> Keyring::LoadFile(const std::filesystem::path& path) {
  const std::string context = FileContext(path);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound(context + " does not exist");
    if (err == EACCES)
      return Status::PermissionDenied(context + " cannot be read: " + ErrnoText(err));
    return Status::Unavailable(context + " cannot be opened: " + ErrnoText(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::Unavailable(context + " cannot be examined: " + ErrnoText(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::FailedPrecondition(context + " is not a regular file");
  }
  const mode_t mode = st.st_mode & 07777;
  if (mode != 0600 && mode != 0400) {
    ::close(fd);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    return Status::FailedPrecondition(context + " has mode " + octal +
                                      "; a master key file must have mode 0600 or 0400 (chmod "
                                      "600 it) so that no other user can read or change it");
  }
  CleansedString content;
  bool read_ok = ReadAll(fd, &content.value);
  int read_errno = errno;
  ::close(fd);
  if (!read_ok) return Status::Unavailable(context + " cannot be read: " + ErrnoText(read_errno));
  if (content.value.size() > kMaxKeyFileSize) {
    return Status::InvalidArgument(context + " is larger than 1 MiB; it is not a master key file");
  }

  Keyring keyring;
  std::string_view rest = content.value;
  int line_number = 0;
  while (!rest.empty()) {
    ++line_number;
    std::size_t end = rest.find('\n');
    std::string_view line = Trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;

    const std::string where = context + " line " + std::to_string(line_number);
    std::size_t id_end = 0;
    while (id_end < line.size() && !IsSpace(line[id_end])) ++id_end;
    std::string_view id = line.substr(0, id_end);
    std::string_view key = Trim(line.substr(id_end));
    bool one_field_left = !key.empty() && std::none_of(key.begin(), key.end(), IsSpace);
    if (!one_field_left) {
      return Status::InvalidArgument(where + ": malformed; expected '<id> <base64 of 32 bytes>'");
    }
    if (!IsValidKeyId(id)) {
      return Status::InvalidArgument(
          where + ": malformed key id; an id is 1 to 32 characters of a-z, 0-9 and '-'");
    }
    if (HasId(keyring.keys_, id)) {
      return Status::InvalidArgument(where + ": duplicate key id '" + std::string(id) + "'");
    }
    MasterKey master;
    master.id = std::string(id);
    std::size_t decoded_size = 0;
    switch (DecodeKey(key, master.bytes, &decoded_size)) {
      case DecodeResult::kOk:
        break;
      case DecodeResult::kMalformed:
        return Status::InvalidArgument(where + ": the key of '" + master.id +
                                       "' is not valid base64");
      case DecodeResult::kWrongLength:
        return Status::InvalidArgument(where + ": the key of '" + master.id + "' is " +
                                       std::to_string(decoded_size) +
                                       " bytes; a master key must be exactly 32 bytes");
    }
    keyring.keys_.push_back(std::move(master));
  }
  if (keyring.keys_.empty()) return Status::InvalidArgument(context + " holds no key");
  return keyring;
}

StatusOr<Keyring> Keyring::FromEnvironmentValue(std::string_view value) {
  value = Trim(value);
  MasterKey master;
  master.id = std::string(kEnvironmentKeyId);
  std::size_t decoded_size = 0;
  switch (DecodeKey(value, master.bytes, &decoded_size)) {
    case DecodeResult::kOk:
      break;
    case DecodeResult::kMalformed:
      return Status::InvalidArgument(
          "HERALD_MASTER_KEY is not valid base64; it must be the base64 of exactly 32 bytes "
          "(e.g. from `openssl rand -base64 32`)");
    case DecodeResult::kWrongLength:
      return Status::InvalidArgument("HERALD_MASTER_KEY decodes to " +
                                     std::to_string(decoded_size) +
                                     " bytes; it must be the base64 of exactly 32 bytes (e.g. "
                                     "from `openssl rand -base64 32`)");
  }
  Keyring keyring;
  keyring.keys_.push_back(std::move(master));
  return keyring;
}

StatusOr<Keyring> Keyring::Generate() {
  Keyring keyring;
  MasterKey master;
  if (!MakeRandomKey(keyring.keys_, &master)) {
    return Status::Internal("cannot generate a master key: the system's random source failed");
  }
  keyring.keys_.push_back(std::move(master));
  return keyring;
}

Status Keyring::SaveFile(const std::filesystem::path& path) const {
  const std::string context = FileContext(path);
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  if (path.filename().empty()) return Status::InvalidArgument(context + " names no file");

  CleansedString content;
  content.value =
      "# Herald master keys: '<id> <base64 of 32 bytes>', one a line.\n"
      "# The first key is the active one; the others only decrypt data sealed\n"
      "# before a rotation. Keep this file mode 0600 and back it up: without it\n"
      "# the secrets in the data directory cannot be decrypted.\n";
  for (const MasterKey& key : keys_) {
    std::string encoded = EncodeKey(key.bytes);
    content.value += key.id;
    content.value += ' ';
    content.value += encoded;
    content.value += '\n';
    Cleanse(encoded);
  }

  std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // created with mode 0600
  if (fd < 0) {
    return Status::Unavailable(context + ": cannot create a temporary file in '" + dir.string() +
                               "': " + ErrnoText(errno));
  }
  auto fail = [&](std::string what, int err) {
    ::close(fd);
    ::unlink(temp.c_str());
    return Status::Unavailable(context + ": cannot " + what + ": " + ErrnoText(err));
  };
  if (::fchmod(fd, 0600) != 0) return fail("set mode 0600 on the temporary file", errno);
  if (!WriteAll(fd, content.value)) return fail("write the temporary file", errno);
  if (::fsync(fd) != 0) return fail("sync the temporary file", errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return Status::Unavailable(context + ": cannot close the temporary file: " + ErrnoText(err));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return Status::Unavailable(context + ": cannot replace it: " + ErrnoText(err));
  }
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    return Status::Unavailable(
        context + ": written, but cannot open its directory to sync it: " + ErrnoText(errno));
  }
  if (::fsync(dir_fd) != 0) {
    int err = errno;
    ::close(dir_fd);
    return Status::Unavailable(context +
                               ": written, but cannot sync its directory: " + ErrnoText(err));
  }
  ::close(dir_fd);
  return Status::Ok();
}

const MasterKey* Keyring::Find(std::string_view id) const {
  for (const MasterKey& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

const MasterKey& Keyring::Rotate() {
  MasterKey master;
  if (!MakeRandomKey(keys_, &master)) {
    std::fputs("herald: cannot rotate the master key: the system's random source failed\n", stderr);
    std::abort();
  }
  keys_.insert(keys_.begin(), std::move(master));
  return keys_.front();
}

void Keyring::Retire(std::string_view id) {
  if (keys_.empty() || keys_.front().id == id) return;
  std::erase_if(keys_, [&](const MasterKey& k) { return k.id == id; });
}

std::vector<std::string> Keyring::ids() const {
  std::vector<std::string> out;
  out.reserve(keys_.size());
  for (const MasterKey& key : keys_) out.push_back(key.id);
  return out;
}

}  // namespace herald::secrets
