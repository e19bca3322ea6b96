// The seed project's load generator design, as a peer for bench/run.sh (issue 15): one goroutine
// per user running a net/http client loop over keep-alive connections, a Prometheus counter and
// histogram observed per request, for a fixed duration. It prints the requests completed within
// the duration, req/s and p50/p99.
//
//	seed -c USERS -d DURATION URL
//
// Latency percentiles come from a local recording of every request's latency (each user appends
// to its own slice; merged and sorted at the end): exact, where the histogram's default buckets
// (5 ms, 10 ms, 25 ms, ...) would only bound them. The histogram's own estimate (linear
// interpolation inside its buckets, as PromQL's histogram_quantile does) is printed beside them.
// The recording costs 8 bytes a request, a few MB in bench/run.sh's scenarios.
//
// Built by bench/run.sh with Debian's packages only (golang-go,
// golang-github-prometheus-client-golang-dev), without Go modules:
//
//	GO111MODULE=off GOPATH=$TMP/gopath:/usr/share/gocode go build -o $TMP/seed bench/seed/main.go
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

var (
	requestsTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "seed_requests_total",
		Help: "Requests completed.",
	})
	requestDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "seed_request_duration_seconds",
		Help:    "Request latency.",
		Buckets: prometheus.DefBuckets,
	})
)

func main() {
	users := flag.Int("c", 100, "concurrent users (one goroutine and one keep-alive connection each)")
	duration := flag.Duration("d", 10*time.Second, "how long to run")
	timeout := flag.Duration("timeout", 30*time.Second, "timeout of one request")
	flag.Parse()
	if flag.NArg() != 1 || *users < 1 || *duration <= 0 {
		fmt.Fprintln(os.Stderr, "usage: seed -c USERS -d DURATION URL")
		os.Exit(2)
	}
	url := flag.Arg(0)
	prometheus.MustRegister(requestsTotal, requestDuration)

	// Go keeps 2 idle connections per host (100 in all) unless told otherwise: every other user
	// would open a new connection for each request.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = *users
	transport.MaxIdleConnsPerHost = *users
	client := &http.Client{Transport: transport, Timeout: *timeout}

	var (
		wg       sync.WaitGroup
		stop     atomic.Bool
		errors   atomic.Int64
		non2xx   atomic.Int64
		late     atomic.Int64
		mu       sync.Mutex
		all      []time.Duration
		firstErr atomic.Value
	)
	start := time.Now()
	deadline := start.Add(*duration)
	for u := 0; u < *users; u++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 1024)
			for !stop.Load() {
				t0 := time.Now()
				resp, err := client.Get(url)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				t1 := time.Now()
				if err != nil {
					errors.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				latency := t1.Sub(t0)
				requestsTotal.Inc()
				requestDuration.Observe(latency.Seconds())
				if resp.StatusCode < 200 || resp.StatusCode > 299 {
					non2xx.Add(1)
				}
				if t1.After(deadline) {
					late.Add(1) // completed after the duration: not counted in req/s
					continue
				}
				local = append(local, latency)
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	time.Sleep(time.Until(deadline))
	stop.Store(true)
	wg.Wait()
	ended := time.Since(start)

	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	count := len(all)
	fmt.Printf("seed: %d users, %s, %s, GOMAXPROCS from the CPUs allowed\n", *users, *duration, url)
	fmt.Printf("requests: %d completed within the duration, %d after it, %d errors, %d non-2xx\n",
		count, late.Load(), errors.Load(), non2xx.Load())
	if e := firstErr.Load(); e != nil {
		fmt.Printf("first error: %s\n", e)
	}
	fmt.Printf("req/s: %.1f (requests completed within the duration / %s; all users ended after %s)\n",
		float64(count)/duration.Seconds(), *duration, ended.Round(time.Millisecond))
	if count > 0 {
		fmt.Printf("latency (local recording of every request): p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
			ms(percentile(all, 0.50)), ms(percentile(all, 0.99)), ms(all[count-1]))
	}
	var m dto.Metric
	if err := requestDuration.Write(&m); err == nil {
		h := m.GetHistogram()
		fmt.Printf("histogram: %d observations, p50 %.3f ms, p99 %.3f ms (interpolated in the default buckets)\n",
			h.GetSampleCount(), 1000*histogramQuantile(h, 0.50), 1000*histogramQuantile(h, 0.99))
	}
	if err := requestsTotal.Write(&m); err == nil {
		fmt.Printf("counter: seed_requests_total %.0f\n", m.GetCounter().GetValue())
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentile: the nearest-rank percentile of sorted values
func percentile(sorted []time.Duration, q float64) time.Duration {
	rank := int(math.Ceil(q*float64(len(sorted)))) - 1
	if rank < 0 {
		rank = 0
	}
	return sorted[rank]
}

// histogramQuantile: PromQL's histogram_quantile over one histogram (linear inside a bucket)
func histogramQuantile(h *dto.Histogram, q float64) float64 {
	total := float64(h.GetSampleCount())
	if total == 0 {
		return math.NaN()
	}
	rank := q * total
	lower, below := 0.0, 0.0
	for _, b := range h.GetBucket() {
		upper, count := b.GetUpperBound(), float64(b.GetCumulativeCount())
		if count >= rank {
			if count == below {
				return upper
			}
			return lower + (upper-lower)*(rank-below)/(count-below)
		}
		lower, below = upper, count
	}
	return lower // beyond the last bucket: PromQL answers its upper bound
}
