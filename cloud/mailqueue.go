package cloud

import (
	"sync"
)

// mailQueue sends mail off the request, one message after another. A request that
// mails only sometimes (forgot password: only when the address has an account) then
// answers in the same time either way, and a slow mail server slows no request.
type mailQueue struct {
	mu     sync.RWMutex
	closed bool
	jobs   chan func() error
	done   chan struct{}
}

// mailQueueSize bounds the backlog; beyond it messages are dropped (and logged) rather
// than letting a flood of requests hold memory.
const mailQueueSize = 1000

func (s *Server) startMailQueue() {
	q := &mailQueue{jobs: make(chan func() error, mailQueueSize), done: make(chan struct{})}
	s.mail = q
	go func() {
		defer close(q.done)
		for job := range q.jobs {
			if err := job(); err != nil {
				s.cfg.Log.Printf("mail queue: %v", err)
			}
		}
	}()
}

// queue runs job on the mail queue.
func (s *Server) queue(job func() error) {
	q := s.mail
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		s.cfg.Log.Printf("mail queue: closed, a message was dropped")
		return
	}
	select {
	case q.jobs <- job:
	default:
		s.cfg.Log.Printf("mail queue: full, a message was dropped")
	}
}

// sendLater queues a notice (no code, no link).
func (s *Server) sendLater(to, subject, body string) {
	s.queue(func() error { return s.cfg.Mailer.SendEmail(to, subject, body, "", "") })
}

// Close stops the mail queue after sending what it holds. The server keeps answering
// requests, but queues no more mail. Closing twice is harmless.
func (s *Server) Close() error {
	q := s.mail
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.jobs)
	}
	q.mu.Unlock()
	<-q.done
	return nil
}
