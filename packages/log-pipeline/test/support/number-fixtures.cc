// Regenerates number-fixtures.json: what Zeek 8.2.2's code prints for a fixed set of doubles, compiled from
// Zeek's own routines (copied below from zeek/zeek v8.2.2 src/util.cc, src/Desc.cc, src/threading/Formatter.cc)
// and RapidJSON's dtoa (zeek/rapidjson at the commit v8.2.2 pins). With libstdc++ (GCC >= 11, as Zeek's build):
//
//   g++ -std=c++17 -O2 -I <zeek/rapidjson>/include number-fixtures.cc -o /tmp/number-fixtures
//   /tmp/number-fixtures > number-fixtures.json
#include <rapidjson/internal/dtoa.h>

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

// util::double_to_str (src/util.cc).
static size_t double_to_str(double d, char* buf, size_t buf_size, int precision, bool no_exp) {
    if ( std::isnan(d) ) {
        strcpy(buf, "nan");
        return 3;
    }
    char* start = buf;
    char* end = buf + buf_size;
    if ( d < 0 ) {
        buf[0] = '-';
        start += 1;
        d = -d;
    }
    else if ( d == -0.0 )
        d = 0.0;
    std::to_chars_result result;
    if ( ! no_exp && d > static_cast<double>(std::numeric_limits<int>::max()) ) {
        result = std::to_chars(start, end, d, std::chars_format::scientific);
        *result.ptr = '\0';
        return result.ptr - buf;
    }
    else if ( ! no_exp && d < pow(10.0, precision * -1.0) ) {
        result = std::to_chars(start, end, d, std::chars_format::general, precision);
        *result.ptr = '\0';
        return result.ptr - buf;
    }
    result = std::to_chars(start, end, d, std::chars_format::fixed, precision);
    if ( result.ec == std::errc::value_too_large )
        return 0;
    char* last = result.ptr - 1;
    while ( *last == '0' )
        last--;
    if ( *last != '.' )
        last++;
    *last = '\0';
    return last - buf;
}

// ODesc::Add(double, no_exp=true) on a readable ODesc (src/Desc.cc).
static std::string desc_double(double d) {
    char tmp[350];
    auto res = double_to_str(d, tmp, sizeof(tmp), 6, true);
    std::string out(tmp, res);
    if ( std::abs(d - nearbyint(d)) < 1e-9 && std::isfinite(d) && (strchr(tmp, 'e') == nullptr) )
        out += ".0";
    return out;
}

// Formatter::Render(double) (src/threading/Formatter.cc), with a buffer large enough for every double.
static std::string render_double(double d) {
    char buf[400];
    auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::fixed, 6);
    return {buf, static_cast<size_t>(res.ptr - buf)};
}

static std::string rapidjson_double(double d) {
    if ( ! std::isfinite(d) )
        return "null";
    char buf[40];
    char* end = rapidjson::internal::dtoa(d, buf);
    return {buf, static_cast<size_t>(end - buf)};
}

static uint64_t state = 0x243f6a8885a308d3ULL;
static uint64_t next() { // xorshift64*
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
}

static double from_bits(uint64_t bits) {
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

int main() {
    std::vector<double> values = {0.0, -0.0, 0.1, 0.5, 1.0, 2.0, -2.0, 1e20, 1e21, 1e22, 1e-7, -1e-7, 5e-10,
                                  1.5e-7, 0.0078125, 0.0234375, -0.0078125, 1e300, 1.7976931348623157e308,
                                  5e-324, 2.2250738585072014e-308, 123456789.123456789, 1700000000.25,
                                  1700000000.123456789, 0.999999, 0.9999995, 0.9999996, 9007199254740993.0,
                                  4503599627370497.5, 1e15, 1e16, 1e17, 0.000001, 0.0000015, 0.0000025,
                                  5e-7, -5e-10, 1.0000000001, 2.4999999999, 3.5, 4.5, 1e-6, 1e-5, 123e-20,
                                  std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::quiet_NaN()};
    // Random bit patterns (every magnitude), random values near typical timestamps, intervals and ratios.
    for ( int i = 0; i < 300; i++ ) {
        double d = from_bits(next());
        if ( std::isfinite(d) )
            values.push_back(d);
    }
    for ( int i = 0; i < 500; i++ )
        values.push_back(1.7e9 + static_cast<double>(next() % 100000000000ULL) / 1e3 * 1e-3);
    for ( int i = 0; i < 500; i++ )
        values.push_back(static_cast<double>(static_cast<int64_t>(next() % 2000000001ULL) - 1000000000) / 1e6);
    for ( int i = 0; i < 200; i++ )
        values.push_back(static_cast<double>(next() % 1000000ULL) / 128.0);
    for ( int i = 0; i < 500; i++ )
        values.push_back(static_cast<double>(next() >> 11) / 9007199254740992.0 * pow(10.0, static_cast<int>(next() % 40) - 20));

    printf("[\n");
    for ( size_t i = 0; i < values.size(); i++ ) {
        uint64_t bits;
        memcpy(&bits, &values[i], 8);
        printf("  [\"%016" PRIx64 "\", \"%s\", \"%s\", \"%s\"]%s\n", bits, desc_double(values[i]).c_str(),
               render_double(values[i]).c_str(), rapidjson_double(values[i]).c_str(), i + 1 < values.size() ? "," : "");
    }
    printf("]\n");
    return 0;
}
