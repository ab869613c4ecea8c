#include "herald/core/outbound_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/URI.h>

#include <array>
#include <charconv>
#include <cstring>
#include <istream>

#include "herald/core/runtime/http_client.h"

namespace herald {
namespace {

std::vector<uint8_t> Bytes(const Poco::Net::IPAddress& a) {
  const auto* p = static_cast<const uint8_t*>(a.addr());
  return std::vector<uint8_t>(p, p + a.length());
}

}  // namespace

StatusOr<AddressRange> AddressRange::Parse(std::string_view cidr) {
  AddressRange out;
  out.text_ = std::string(cidr);
  std::string address(cidr);
  std::optional<unsigned> prefix;
  if (size_t slash = address.find('/'); slash != std::string::npos) {
    unsigned p = 0;
    const char* begin = address.data() + slash + 1;
    const char* end = address.data() + address.size();
    auto [ptr, ec] = std::from_chars(begin, end, p);
    if (ec != std::errc() || ptr != end || begin == end) {
      return Status::InvalidArgument("outbound_deny: '" + out.text_ + "' has a bad prefix length");
    }
    prefix = p;
    address.resize(slash);
  }
  Poco::Net::IPAddress ip;
  if (!Poco::Net::IPAddress::tryParse(address, ip)) {
    return Status::InvalidArgument("outbound_deny: '" + out.text_ + "' is not an address range");
  }
  out.network_ = Bytes(ip);
  const unsigned bits = static_cast<unsigned>(out.network_.size() * 8);
  out.prefix_ = prefix.value_or(bits);
  if (out.prefix_ > bits) {
    return Status::InvalidArgument("outbound_deny: '" + out.text_ + "' has a prefix longer than " +
                                   std::to_string(bits) + " bits");
  }
  return out;
}

bool AddressRange::Contains(const Poco::Net::IPAddress& address) const {
  std::vector<uint8_t> bytes = Bytes(address);
  // An IPv4-mapped IPv6 address is checked as the IPv4 address it carries.
  if (bytes.size() == 16 && network_.size() == 4 && address.isIPv4Mapped()) {
    bytes.erase(bytes.begin(), bytes.begin() + 12);
  }
  if (bytes.size() != network_.size()) return false;
  unsigned left = prefix_;
  for (size_t i = 0; i < bytes.size() && left > 0; ++i) {
    const unsigned take = left >= 8 ? 8 : left;
    const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - take));
    if ((bytes[i] & mask) != (network_[i] & mask)) return false;
    left -= take;
  }
  return true;
}

std::vector<std::string> DefaultOutboundDenyList() {
  return {"169.254.0.0/16", "fe80::/10", "fd00:ec2::254"};
}

OutboundClient::OutboundClient(OutboundClientOptions options) : options_(std::move(options)) {}

OutboundClient::~OutboundClient() = default;

size_t OutboundClient::idle_sessions() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [origin, sessions] : idle_) n += sessions.size();
  return n;
}

Status OutboundClient::CheckTarget(const std::string& host) const {
  if (options_.deny.empty()) return Status::Ok();
  std::vector<Poco::Net::IPAddress> addresses;
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(host, literal)) {
    addresses.push_back(literal);
  } else {
    try {
      Poco::Net::HostEntry entry = Poco::Net::DNS::hostByName(host);
      addresses = entry.addresses();
    } catch (const Poco::Exception&) {
      return Status::Unavailable("could not resolve host '" + host + "'");
    }
  }
  for (const auto& a : addresses) {
    for (const auto& range : options_.deny) {
      if (range.Contains(a)) {
        return Status::PermissionDenied("host '" + host + "' is in the denied address range " +
                                        range.text() + " (herald.outbound_deny)");
      }
    }
  }
  return Status::Ok();
}

OutboundClient::Session OutboundClient::Take(const std::string& origin) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = idle_.find(origin);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  Session s = std::move(it->second.back());
  it->second.pop_back();
  return s;
}

void OutboundClient::Return(const std::string& origin, Session session) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& sessions = idle_[origin];
  if (sessions.size() < options_.max_idle_per_origin) sessions.push_back(std::move(session));
}

StatusOr<FetchResponse> OutboundClient::Fetch(const FetchRequest& request) {
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception&) {
    return Status::InvalidArgument("url: not a valid URL");
  }
  const std::string scheme = uri.getScheme();
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    return Status::InvalidArgument("url: must be an absolute http:// or https:// URL");
  }
  const bool https = scheme == "https";
  const std::string host = uri.getHost();
  const std::string origin = scheme + "://" + host + ":" + std::to_string(uri.getPort());
  const int64_t timeout_ms =
      request.timeout_ms > 0 ? request.timeout_ms : options_.default_timeout_ms;
  std::string target = uri.getPathEtc();
  if (target.empty() || target.front() != '/') target = "/" + target;

  Poco::Net::HTTPRequest http_request(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  http_request.set("User-Agent", "heraldd");
  http_request.setKeepAlive(true);
  for (const auto& [name, value] : request.headers) http_request.set(name, value);
  const bool with_body = !request.body.empty() || request.method == "POST" ||
                         request.method == "PUT" || request.method == "PATCH";
  if (with_body) {
    if (!http_request.has("Content-Type")) http_request.setContentType("application/json");
    http_request.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
  }

  // A pooled session may have been closed by the server while idle: a request
  // on a reused session that fails before any answer is retried once on a
  // fresh one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Session session = attempt == 0 ? Take(origin) : nullptr;
    const bool reused = session != nullptr;
    try {
      if (!session) {
        HERALD_RETURN_IF_ERROR(CheckTarget(host));
        if (https) {
          session = std::make_unique<Poco::Net::HTTPSClientSession>(host, uri.getPort(),
                                                                    runtime::ClientTlsContext());
        } else {
          session = std::make_unique<Poco::Net::HTTPClientSession>(host, uri.getPort());
        }
        session->setKeepAlive(true);
      }
      session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout_ms) * 1000));
      std::ostream& out = session->sendRequest(http_request);
      if (with_body)
        out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
      Poco::Net::HTTPResponse http_response;
      std::istream& in = session->receiveResponse(http_response);
      FetchResponse response;
      response.status = static_cast<int>(http_response.getStatus());
      for (const auto& [name, value] : http_response) response.headers.emplace_back(name, value);
      std::array<char, 16384> buffer;
      bool too_big = false;
      while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
        const size_t n = static_cast<size_t>(in.gcount());
        if (response.body.size() + n > options_.max_response_bytes) {
          too_big = true;
          break;
        }
        response.body.append(buffer.data(), n);
      }
      if (too_big) {
        return Status::PayloadTooLarge("the response is larger than " +
                                       std::to_string(options_.max_response_bytes) + " bytes");
      }
      if (http_response.getKeepAlive() && !in.bad()) Return(origin, std::move(session));
      return response;
    } catch (const Poco::TimeoutException&) {
      return Status::DeadlineExceeded("timed out after " + std::to_string(timeout_ms) + " ms");
    } catch (const Poco::Net::ConnectionRefusedException&) {
      return Status::Unavailable("connection refused by " + host);
    } catch (const Poco::Net::HostNotFoundException&) {
      return Status::Unavailable("could not resolve host '" + host + "'");
    } catch (const Poco::Net::DNSException&) {
      return Status::Unavailable("could not resolve host '" + host + "'");
    } catch (const Poco::Net::SSLException&) {
      return Status::Unavailable("TLS error talking to " + host);
    } catch (const Poco::Exception&) {
      if (reused) continue;
      return Status::Unavailable("the connection to " + host + " failed");
    } catch (const std::exception&) {
      if (reused) continue;
      return Status::Unavailable("the connection to " + host + " failed");
    }
  }
  return Status::Unavailable("the connection to " + host + " failed");
}

}  // namespace herald
